package io.backuphub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.provider.SyncRun;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.demo.vprotect.VProtectSimulator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ingest throughput, as ratios against a baseline measured in the same process: reading the provider's
 * listing with a plain HTTP client (no catalog). Not part of the test suite (the class name does not end
 * in Test); run it with {@code mvn -B test -Dtest=IngestBenchmark -Dbench.backups=100000}.
 */
class IngestBenchmark {

    private static final int BACKUPS = Integer.getInteger("bench.backups", 5_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void vprotectIngestAgainstReadingTheListingAlone() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-bench");
        try (VProtectSimulator vprotect = new VProtectSimulator("bench", "bench").start()) {
            vprotect.addProtectedEntity("vm-1", "vm-1", "VM");
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < BACKUPS; i++) {
                vprotect.addBackup("vm-1", "b-" + i, "SUCCESS", "FULL", start.plusSeconds(60L * i), 1000 + i);
            }
            double baseline = seconds(() -> readVProtectListing(vprotect));

            try (TestHub hub = TestHub.on(dataDir).vprotect(vprotect.baseUrl(), "bench", "bench")
                    .with("hub.vprotect.page-size", "100").start()) {
                long t0 = System.nanoTime();
                SyncRun first = hub.sync("vprotect");
                double firstSync = (System.nanoTime() - t0) / 1e9;
                assertEquals(BACKUPS, first.newCount());

                hub.catalog().deleteCursor("vprotect", "backups");
                t0 = System.nanoTime();
                SyncRun again = hub.sync("vprotect");
                double unchangedSync = (System.nanoTime() - t0) / 1e9;
                assertEquals(0, again.newCount() + again.updatedCount());

                report("vProtect", baseline, List.of(
                        new Row("first sync (list + details + insert)", firstSync),
                        new Row("re-sync from cursor 0, nothing changed", unchangedSync)));
            }
        }
    }

    @Test
    void cloud66FullWalkAgainstAQuietWalk() throws Exception {
        Path dataDir = Files.createTempDirectory("hub-bench");
        try (Cloud66Simulator cloud66 = new Cloud66Simulator("bench").start()) {
            cloud66.setRateLimit(Integer.MAX_VALUE);
            cloud66.addStack("stk", "bench");
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 1; i <= BACKUPS; i++) {
                cloud66.addBackup("stk", i, "mysql", "db", start.plusSeconds(60L * i), 0, 1000 + i);
            }
            double baseline = seconds(() -> readCloud66Listing(cloud66));

            try (TestHub hub = TestHub.on(dataDir).cloud66(cloud66.baseUrl(), "bench").start()) {
                long t0 = System.nanoTime();
                assertEquals(BACKUPS, hub.sync("cloud66").newCount());
                double fullWalk = (System.nanoTime() - t0) / 1e9;

                cloud66.resetRequestCounts();
                t0 = System.nanoTime();
                hub.sync("cloud66");
                double quietWalk = (System.nanoTime() - t0) / 1e9;
                int quietRequests = cloud66.requestCount("/stacks/stk/backups$");

                report("Cloud66", baseline, List.of(
                        new Row("first sync, full walk (list + files + insert)", fullWalk),
                        new Row("next sync, quiet walk (" + quietRequests + " list requests)", quietWalk)));
            }
        }
    }

    private static void readVProtectListing(VProtectSimulator vprotect) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new java.net.CookieManager()).build();
        http.send(HttpRequest.newBuilder(URI.create(vprotect.baseUrl() + "/session/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"bench\",\"password\":\"bench\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        int read = 0;
        for (int page = 0; read < BACKUPS; page++) {
            JsonNode items = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(vprotect.baseUrl()
                    + "/backups?from=0&size=100&orderBy=snapshotTime&direction=asc&page=" + page)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            read += items.size();
        }
    }

    private static void readCloud66Listing(Cloud66Simulator cloud66) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Integer page = 1;
        while (page != null) {
            JsonNode body = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(cloud66.baseUrl()
                    + "/stacks/stk/backups?page=" + page)).header("Authorization", "Bearer bench").build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode next = body.path("pagination").path("next");
            page = next.canConvertToInt() ? next.asInt() : null;
        }
    }

    private record Row(String what, double seconds) {
    }

    private static void report(String source, double baseline, List<Row> rows) {
        System.out.printf("%n%s, %d backups; baseline = reading the listing with a plain HTTP client: %.2f s%n",
                source, BACKUPS, baseline);
        for (Row row : rows) {
            System.out.printf("  %-55s %8.2f s  %6.1f x baseline  %9.0f backups/s%n",
                    row.what(), row.seconds(), row.seconds() / baseline, BACKUPS / row.seconds());
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double seconds(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
