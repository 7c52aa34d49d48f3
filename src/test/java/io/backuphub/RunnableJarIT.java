package io.backuphub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar, as a user runs it: {@code java -jar target/backup-hub.jar --demo} syncs both demo
 * sources, answers health, and stops cleanly on SIGTERM. Runs after {@code package} (failsafe).
 */
class RunnableJarIT {

    @TempDir
    Path dataDir;

    @Test
    void theJarRunsTheDemoAndStopsCleanlyOnSigterm() throws Exception {
        int port = TestHub.freePort();
        Path log = dataDir.resolve("hub.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", "target/backup-hub.jar", "--demo")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("HUB_DATA_DIR", dataDir.resolve("data").toString());
        builder.environment().put("HUB_API_PORT", Integer.toString(port));
        Process hub = builder.start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    read(log).contains("source=cloud66 scope=all sync completed")
                            && read(log).contains("source=vprotect scope=all sync completed"));
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(health.body().contains("\"UP\""), health.body());
        } finally {
            hub.destroy();
            assertTrue(hub.waitFor(45, TimeUnit.SECONDS), "stops within the shutdown timeout");
        }
        String output = read(log);
        assertTrue(output.contains("is shutdown"), output);
        assertTrue(!output.contains("Exception"), output);
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
