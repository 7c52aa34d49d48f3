package io.backuphub.launch;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A hub that cannot start says why in one line that names the setting to change; exit code 1.
 */
public final class StartupFailure extends RuntimeException {

    /** Exit code of a hub that could not start. */
    public static final int EXIT = 1;
    /** H2's "Database may be already in use" (DATABASE_ALREADY_OPEN_1). */
    private static final int H2_DATABASE_IN_USE = 90020;

    public StartupFailure(String line) {
        super(line);
    }

    public static StartupFailure portInUse(Object port) {
        return new StartupFailure("backup-hub: cannot start the HTTP server: port " + port
                + " is already in use (another hub or program listens on it); set hub.api.port"
                + " (environment HUB_API_PORT) to a free port, or stop the other one");
    }

    public static StartupFailure databaseInUse(Path dataDir) {
        return new StartupFailure("backup-hub: the data folder " + dataDir.toAbsolutePath().normalize()
                + " is in use by another hub (its catalog database is open there); stop that hub, or give this one its"
                + " own folder with hub.data-dir (environment HUB_DATA_DIR)");
    }

    /** Whether a start-up error is H2 refusing a database another process has open. */
    public static boolean isDatabaseInUse(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IN_USE) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("Database may be already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a start-up error is the HTTP server finding its port taken. */
    public static boolean isPortInUse(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /** One line for any other start-up error: its deepest message. */
    public static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return "backup-hub: could not start: " + message.lines().findFirst().orElse("").strip()
                + " (the log above has the details)";
    }
}
