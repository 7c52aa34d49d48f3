package io.backuphub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.backuphub.demo.DemoMode;
import io.backuphub.ops.LogFormat;
import org.apache.camel.main.Main;

/**
 * Starts the hub: Camel Main with {@code config/application.properties}; {@code --demo} (or
 * {@code HUB_DEMO=true}) also starts the built-in provider simulators and points the sources at them.
 */
public final class BackupHub {

    private BackupHub() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean demo = rest.remove("--demo") || "true".equalsIgnoreCase(System.getenv("HUB_DEMO"));
        if (!Files.isRegularFile(Path.of(configFile()))) {
            // one line instead of Camel's stack trace: the usual cause is starting the jar from another folder
            System.err.println("backup-hub: no configuration at " + Path.of(configFile()).toAbsolutePath()
                    + "; start the hub from the project folder (it reads config/application.properties) or set HUB_CONFIG");
            System.exit(2);
        }
        LogFormat.select(Path.of(configFile()));
        useLogConfig();
        Main main = create();
        // the demo's simulators must not keep the JVM alive when the hub fails to start
        try (AutoCloseable demoSimulators = demo ? DemoMode.install(main) : () -> { }) {
            main.run(rest.toArray(String[]::new));
        }
    }

    /** A hub configured from {@code config/application.properties} (or {@code HUB_CONFIG}), not yet started. */
    public static Main create() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + configFile());
        return main;
    }

    private static String configFile() {
        return System.getenv().getOrDefault("HUB_CONFIG", "config/application.properties");
    }

    private static void useLogConfig() {
        Path log = Path.of(System.getenv().getOrDefault("HUB_LOG_CONFIG", "config/log4j2.properties"));
        if (System.getProperty("log4j2.configurationFile") == null && Files.exists(log)) {
            System.setProperty("log4j2.configurationFile", log.toString());
        }
    }
}
