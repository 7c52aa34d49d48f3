package io.backuphub.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.backuphub.BackupHub;
import io.backuphub.TestHub;
import io.backuphub.demo.DemoMode;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's curl examples run against --demo with the token demo-token. */
class DemoTokenTest {

    @TempDir
    Path dataDir;

    @Test
    void theDemoAcceptsTheDocumentedTokenAndServesTheSimulatorsCatalog() throws Exception {
        Main main = BackupHub.create();
        DemoMode.install(main);
        int port = TestHub.freePort();
        main.addOverrideProperty("hub.data-dir", dataDir.toString());
        main.addOverrideProperty("hub.api.port", Integer.toString(port));
        main.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest instances = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/backup_instances"))
                    .header("Authorization", "Bearer " + DemoMode.API_TOKEN).build();
            // the demo's sources sync on their own schedule: wait for the first instances
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                HttpResponse<String> response = http.send(instances, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && !response.body().equals("[]");
            });
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/backup_instances"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            main.stop();
        }
    }
}
