package io.backuphub.launch;

import java.io.PrintStream;
import java.util.List;

/**
 * The hub's command line: {@code --demo} and {@code --help}; anything else is refused in one line (exit 2), so a
 * mistyped option never starts a hub that does something else than asked.
 */
public record Options(boolean demo, boolean help, String unknown) {

    /** Exit code of a command line the hub does not understand. */
    public static final int USAGE = 2;

    public static Options parse(List<String> args, boolean demoFromEnvironment) {
        boolean demo = demoFromEnvironment;
        boolean help = false;
        for (String arg : args) {
            switch (arg) {
                case "--demo" -> demo = true;
                case "--help", "-h", "-help", "-?" -> help = true;
                default -> {
                    return new Options(demo, help, arg);
                }
            }
        }
        return new Options(demo, help, null);
    }

    public boolean valid() {
        return unknown == null;
    }

    /** The one line for an option the hub does not know. */
    public String unknownLine() {
        return "backup-hub: unknown option " + unknown + " (the hub takes --demo and --help; settings are properties"
                + " or environment variables, see --help)";
    }

    public static void printHelp(PrintStream out, Settings settings) {
        String config = settings.configFile().toAbsolutePath().normalize()
                + (settings.configFilePresent() ? "" : " (not present: the defaults inside the jar apply)");
        String routes = settings.routesDir().toAbsolutePath().normalize()
                + (java.nio.file.Files.isDirectory(settings.routesDir()) ? "" : " (not present: the routes inside the jar apply)");
        out.println("""
                Backup Hub: polls Cloud66 and vProtect backups into one catalog, serves the v1 API and copies backups to storage.

                Usage: java -jar backup-hub.jar [--demo] [--help]

                Options:
                  --demo    also start built-in Cloud66 and vProtect simulators and poll them every 15 s;
                            the API accepts the token demo-token (same as HUB_DEMO=true)
                  --help    print this help and exit

                Configuration: the defaults inside the jar, with this file on top when present:
                  %s
                YAML routes: from this folder when present (hub.routes-dir), otherwise from the jar:
                  %s
                Logs: to standard output (text, or JSON with HUB_LOG_FORMAT=json); HUB_LOG_CONFIG names a log4j2 file.

                Every property can be set as an environment variable: upper case, '.' and '-' become '_'
                (hub.cloud66.base-url -> HUB_CLOUD66_BASE_URL). The main ones:
                  HUB_CONFIG                configuration file (default config/application.properties)
                  HUB_API_PORT              port of the API, the OpenAPI document and health (default 8080)
                  HUB_DATA_DIR              catalog database and local storage (default ./data); one hub per folder
                  HUB_API_CLIENTS           API bearer tokens: token=customer1|customer2;token2=*  (* = every customer)
                  HUB_CLOUD66_TOKEN         Cloud66 personal access token: turns the Cloud66 source on
                  HUB_VPROTECT_USERNAME     vProtect user and password: turn the vProtect source on
                  HUB_VPROTECT_PASSWORD
                  HUB_NODE_NAME             this node's name in sync history and claims (default $HOSTNAME)
                  HUB_LOG_FORMAT            text (default) or json

                Exit codes: 0 stopped (SIGTERM, SIGINT or SIGHUP), 1 could not start or failed, 2 bad command line
                or configuration.""".formatted(config, routes));
    }
}
