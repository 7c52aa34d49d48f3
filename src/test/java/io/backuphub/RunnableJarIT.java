package io.backuphub;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar, as a user runs it: {@code java -jar target/backup-hub.jar --demo} syncs both demo
 * sources, answers health, says where its API is, and stops cleanly on SIGTERM (exit 0). Runs after
 * {@code package} (failsafe).
 */
class RunnableJarIT {

    @TempDir
    Path dir;

    @Test
    void theJarRunsTheDemoSaysWhereItsApiIsAndStopsCleanlyOnSigtermWithExitZero() throws Exception {
        int port = TestHub.freePort();
        Path log = dir.resolve("hub.log");
        ProcessBuilder builder = HubJar.builder(Path.of("").toAbsolutePath(), log, "--demo");
        builder.environment().put("HUB_DATA_DIR", dir.resolve("data").toString());
        builder.environment().put("HUB_API_PORT", Integer.toString(port));
        Process hub = builder.start();
        try {
            awaitBothSourcesSynced(log);
            assertTrue(health(port).contains("\"UP\""), health(port));
        } finally {
            hub.destroy(); // SIGTERM
        }
        int exit = HubJar.exitCode(hub, 60);
        String output = HubJar.read(log);
        assertEquals(0, exit, "a requested stop is a clean exit:\n" + output);

        List<String> ready = HubJar.linesWith(output, "Backup Hub ready");
        assertEquals(1, ready.size(), output);
        assertTrue(ready.get(0).endsWith("Backup Hub ready: API http://localhost:" + port + "/v1, docs http://localhost:"
                + port + "/openapi.json, demo token demo-token"), ready.get(0));
        assertEquals(1, HubJar.linesWith(output, "Stopping on SIGTERM").size(), output);
        assertTrue(output.contains("Backup Hub stopped on SIGTERM"), output);
        assertFalse(output.contains("Exception"), output);
    }

    @Test
    void theJarRunsFromAnEmptyFolderWithItsOwnConfigurationRoutesAndLogging() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("elsewhere"));
        int port = TestHub.freePort();
        Path log = dir.resolve("hub.log");
        ProcessBuilder builder = HubJar.builder(empty, log, "--demo");
        builder.environment().put("HUB_API_PORT", Integer.toString(port));
        builder.environment().put("HUB_API_PUBLIC_URL", "https://hub.example.com/");
        Process hub = builder.start();
        try {
            awaitBothSourcesSynced(log);
            assertTrue(health(port).contains("\"UP\""), health(port));
        } finally {
            hub.destroy();
        }
        int exit = HubJar.exitCode(hub, 60);
        String output = HubJar.read(log);
        assertEquals(0, exit, output);
        // the log (on standard output) in the jar's text format, the YAML routes from the jar, data under the folder
        assertTrue(output.lines().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d .* INFO  \\[.*")), output);
        assertTrue(output.contains("YAML routes: the ones inside the jar"), output);
        assertTrue(output.contains("Started fanout-storage"), output);
        assertTrue(Files.isDirectory(empty.resolve("data")), "data/ relative to the working folder");
        assertTrue(output.contains("Backup Hub ready: API https://hub.example.com/v1, docs https://hub.example.com/openapi.json,"
                + " demo token demo-token"), output);
    }

    private static void awaitBothSourcesSynced(Path log) {
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() ->
                HubJar.read(log).contains("source=cloud66 scope=all sync completed")
                        && HubJar.read(log).contains("source=vprotect scope=all sync completed"));
    }

    private static String health(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
