package io.backuphub.launch;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import io.backuphub.HubJar;
import io.backuphub.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hub that cannot have its port or its data folder stops at once, and says why in one line. */
class StartupFailuresIT {

    @TempDir
    Path dir;

    @Test
    void aHubOnATakenPortExitsNonZeroWithOneLineNamingThePortAndTheProperty() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            Path log = dir.resolve("hub.log");
            ProcessBuilder builder = HubJar.builder(dir, log, "--demo");
            builder.environment().put("HUB_API_PORT", Integer.toString(port));
            long started = System.nanoTime();
            int exit = HubJar.exitCode(builder.start(), 60);
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;

            String output = HubJar.read(log);
            assertNotEquals(0, exit, output);
            assertTrue(seconds < 30, "exits at once, not after start-up: " + seconds + " s");
            List<String> lines = HubJar.linesWith(output, "port " + port);
            assertEquals(1, lines.size(), output);
            assertTrue(lines.get(0).contains("hub.api.port") && lines.get(0).contains("HUB_API_PORT"), lines.get(0));
            assertFalse(output.contains("sync completed"), "nothing was polled:\n" + output);
        }
    }

    @Test
    void aHubWhoseHttpServerFailsToBindDuringStartUpStopsAndExitsNonZeroWithOneLine() throws Exception {
        // hub.api.port is free when the hub starts; the API server's own port (set in a HUB_CONFIG file, on top of
        // the jar's defaults) is taken: Vert.x only logs its failed bind, the hub must not run on without an API
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            Path config = Files.writeString(dir.resolve("hub.properties"), "camel.server.port = " + port + "\n");
            Path log = dir.resolve("hub.log");
            ProcessBuilder builder = HubJar.builder(dir, log);
            builder.environment().put("HUB_CONFIG", config.toString());
            builder.environment().put("HUB_API_PORT", Integer.toString(TestHub.freePort()));
            int exit = HubJar.exitCode(builder.start(), 150);

            String output = HubJar.read(log);
            assertNotEquals(0, exit, output);
            List<String> lines = HubJar.linesWith(output, "backup-hub: cannot start the HTTP server: port " + port);
            assertEquals(1, lines.size(), output);
            assertFalse(output.contains("Backup Hub ready"), output);
        }
    }

    @Test
    void aHubOnADataFolderAnotherHubUsesExitsNonZeroWithOneLineNamingTheFolderAndTheProperty() throws Exception {
        Path data = dir.resolve("data");
        // the catalog open in this JVM, as another hub holds it
        try (Connection other = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("catalog"), "sa", "")) {
            Path log = dir.resolve("hub.log");
            ProcessBuilder builder = HubJar.builder(dir, log);
            builder.environment().put("HUB_DATA_DIR", data.toString());
            builder.environment().put("HUB_API_PORT", Integer.toString(TestHub.freePort()));
            int exit = HubJar.exitCode(builder.start(), 120);

            String output = HubJar.read(log);
            assertNotEquals(0, exit, output);
            List<String> lines = HubJar.linesWith(output, "in use by another hub");
            assertEquals(1, lines.size(), output);
            String line = lines.get(0);
            assertTrue(line.contains(data.toAbsolutePath().normalize().toString()), line);
            assertTrue(line.contains("hub.data-dir") && line.contains("HUB_DATA_DIR"), line);
            // H2's own trace is not printed as lines of its own
            assertFalse(output.lines().anyMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by")), output);
        }
    }
}
