package io.backuphub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.backuphub.demo.DemoMode;
import io.backuphub.launch.Options;
import io.backuphub.launch.Settings;
import io.backuphub.launch.Signals;
import io.backuphub.launch.StartupFailure;
import io.backuphub.launch.StartupReport;
import io.backuphub.ops.LogFormat;
import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * Starts the hub: Camel Main with the defaults inside the jar ({@code application.properties}, {@code log4j2.properties},
 * {@code routes/*.yaml} on the class path) and, on top when present, {@code config/application.properties} (or
 * {@code HUB_CONFIG}) and the {@code routes/} folder, so the jar runs from any folder. {@code --demo} (or
 * {@code HUB_DEMO=true}) also starts the built-in provider simulators and points the sources at them.
 * <p>
 * Exit codes: 0 after a requested stop (SIGTERM, SIGINT, SIGHUP), 1 when the hub cannot start (port or data folder
 * taken, ...), 2 for a command line or configuration it cannot use. Each failure is said in one line.
 */
public final class BackupHub {

    /** What hubs before the listed classes used to find their classes. */
    private static final String PACKAGE_SCAN = "camel.main.base-package-scan";

    private BackupHub() {
    }

    public static void main(String[] args) {
        // an explicit exit: library threads (Vert.x, simulators) must not keep a stopped hub alive
        System.exit(run(args));
    }

    static int run(String[] args) {
        Options options = Options.parse(List.of(args), "true".equalsIgnoreCase(System.getenv("HUB_DEMO")));
        Settings settings = Settings.current();
        if (!options.valid()) {
            System.err.println(options.unknownLine());
            return Options.USAGE;
        }
        if (options.help()) {
            Options.printHelp(System.out, settings);
            return 0;
        }
        if (settings.configExplicit() && !settings.configFilePresent()) {
            System.err.println("backup-hub: no configuration at " + settings.configFile().toAbsolutePath().normalize()
                    + " (HUB_CONFIG); point HUB_CONFIG at a file, or unset it to run with the defaults inside the jar"
                    + " and ./config/application.properties when present");
            return Options.USAGE;
        }
        Optional<String> packageScan = settings.get(PACKAGE_SCAN);
        if (packageScan.isPresent()) {
            // a configuration written for an older hub: with the scan on top of the listed classes every configuration
            // class and route builder would be registered twice, and Camel would stop at a duplicate route id
            System.err.println("backup-hub: " + PACKAGE_SCAN + " = " + packageScan.get() + " (in "
                    + settings.configFile().toAbsolutePath().normalize() + " or the environment) is no longer used: "
                    + "the hub lists its classes in camel.main.configuration-classes and camel.main.routes-builder-classes, "
                    + "and a scan on top would register them twice; remove that line");
            return Options.USAGE;
        }
        Optional<Path> logConfig = settings.logConfigFile();
        if (logConfig.isPresent() && !Files.isRegularFile(logConfig.get())) {
            System.err.println("backup-hub: no log configuration at " + logConfig.get().toAbsolutePath().normalize()
                    + " (" + Settings.LOG_CONFIG_ENV + "); point it at a log4j2 file, or unset it to use the one inside the jar");
            return Options.USAGE;
        }
        if (settings.configFilePresent()) {
            LogFormat.select(settings.configFile());
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            logConfig.ifPresent(file -> System.setProperty("log4j2.configurationFile", file.toString()));
        }
        // fail fast, before the catalog opens and the sources start: the HTTP server would find the port taken
        int port = settings.apiPort();
        if (port > 0 && !canListen(port)) {
            System.err.println(StartupFailure.portInUse(port).getMessage());
            return StartupFailure.EXIT;
        }

        Main main = create(settings);
        Signals signals = Signals.install(main);
        StartupReport report = new StartupReport(options.demo() ? DemoMode.API_TOKEN : null);
        // the demo's simulators must not keep the JVM alive when the hub fails to start
        try (AutoCloseable demoSimulators = options.demo() ? DemoMode.install(main) : () -> { }) {
            main.addMainListener(report);
            main.run();
        } catch (Exception e) {
            main.completed(); // nothing left for Camel's shutdown hook to stop
            if (StartupFailure.isDatabaseInUse(e)) {
                System.err.println(StartupFailure.databaseInUse(dataDir(main, settings)).getMessage());
            } else if (StartupFailure.isPortInUse(e)) {
                // the HTTP server's port was free a moment ago (checked above) or is not hub.api.port
                System.err.println(StartupFailure.portInUse(serverPort(main, settings)).getMessage());
            } else {
                LoggerFactory.getLogger(BackupHub.class).error("The hub could not start", e);
                System.err.println(StartupFailure.describe(e));
            }
            return StartupFailure.EXIT;
        }
        if (report.failure() != null) {
            System.err.println(report.failure().getMessage());
            return StartupFailure.EXIT;
        }
        LoggerFactory.getLogger(BackupHub.class).info("Backup Hub stopped{}",
                signals.received() != null ? " on " + signals.received() : "");
        return 0;
    }

    /** A hub configured as {@link #main} configures it, not yet started. */
    public static Main create() {
        return create(Settings.current());
    }

    private static Main create(Settings settings) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(settings.propertyLocations());
        var log = LoggerFactory.getLogger(BackupHub.class);
        log.info("Configuration: {}", settings.configFilePresent()
                ? settings.configFile().toAbsolutePath().normalize() + " on top of the defaults inside the jar"
                : "the defaults inside the jar (no " + settings.configFile().toAbsolutePath().normalize() + ")");
        if (!Files.isDirectory(settings.routesDir())) {
            // integration engineers edit routes/ (and live reload watches it); without it the jar's copy runs
            main.addOverrideProperty("camel.main.routes-include-pattern", Settings.classpathRoutes());
            main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
            log.info("YAML routes: the ones inside the jar (no folder {}, hub.routes-dir); live reload is off",
                    settings.routesDir().toAbsolutePath().normalize());
        }
        return main;
    }

    private static Path dataDir(Main main, Settings settings) {
        try {
            if (main.getCamelContext() != null) {
                return Path.of(main.getCamelContext().resolvePropertyPlaceholders("{{hub.data-dir}}"));
            }
        } catch (RuntimeException e) {
            // fall back to what the launcher read
        }
        return Path.of(settings.get("hub.data-dir").orElse("./data"));
    }

    private static String serverPort(Main main, Settings settings) {
        try {
            if (main.getCamelContext() != null) {
                return main.getCamelContext().resolvePropertyPlaceholders("{{camel.server.port}}");
            }
        } catch (RuntimeException e) {
            // fall back to what the launcher read
        }
        return Integer.toString(settings.apiPort());
    }

    private static boolean canListen(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
