package io.backuphub.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.backuphub.TestHub;
import io.backuphub.ops.metrics.HubMetrics;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /observe/metrics is Prometheus text, carries Camel's route meters and the hub's, and moves with a sync. */
class MetricsEndpointTest {

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    private static PrometheusText scrape(TestHub hub) {
        Observe.Response response = Observe.get(hub, "/observe/metrics");
        assertEquals(200, response.status(), response.body());
        return PrometheusText.parse(response.body());
    }

    @Test
    void everyLineParsesAsPrometheusTextAndThePollAndIngestCountersMoveWithASync() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            PrometheusText before = scrape(hub);
            assertEquals("counter", before.type("backuphub_polls_total"));
            assertEquals(0.0, before.value("backuphub_polls_total", Map.of("source", "cloud66", "outcome", "succeeded")),
                    "shown at zero before the first poll");
            assertTrue(before.value("backuphub_lag_seconds", Map.of("source", "cloud66")).isNaN(), "no backup yet: no lag");

            hub.sync("cloud66");
            providers.cloud66.failAlways("/stacks", Fault.status(401));
            hub.sync("cloud66");

            PrometheusText after = scrape(hub);
            assertEquals(1.0, after.value("backuphub_polls_total", Map.of("source", "cloud66", "outcome", "succeeded")));
            assertEquals(1.0, after.value("backuphub_polls_total", Map.of("source", "cloud66", "outcome", "failed")));
            assertEquals(CLOUD66_BACKUPS, after.counter("backuphub_backups_ingested_total",
                    Map.of("source", "cloud66", "change", "new")));
            assertEquals("gauge", after.type("backuphub_lag_seconds"));
            assertTrue(after.value("backuphub_lag_seconds", Map.of("source", "cloud66")) > 0);
            assertEquals(0.0, after.value("backuphub_dead_letters", Map.of()));
            assertTrue(after.counter("camel_exchanges_total", Map.of("route_id", "cloud66-sync"))
                    > before.counter("camel_exchanges_total", Map.of("route_id", "cloud66-sync")),
                    "Camel's route meters, their routeId as the label route_id");
        }
    }

    @Test
    void theCopyAndApiMetersTakeWhatTheFanOutAndTheApiRecord() {
        String target = "file:" + dataDir.resolve("storage");
        try (TestHub hub = TestHub.on(dataDir).with("hub.storage.targets", target).start()) {
            HubMetrics metrics = HubMetrics.of(hub.context()).orElseThrow();
            PrometheusText before = scrape(hub);
            assertEquals("histogram", before.type("backuphub_copy_duration_seconds"));
            assertEquals(0.0, before.value("backuphub_copied_bytes_total", Map.of("target", target)));

            metrics.copied(target, 4096, Duration.ofMillis(300));
            metrics.copied(target + "?option=hidden", 1024, Duration.ofSeconds(2));
            metrics.apiRequest("listBackups", 200);

            PrometheusText after = scrape(hub);
            assertEquals(5120.0, after.value("backuphub_copied_bytes_total", Map.of("target", target)),
                    "one series per target, its query left out of the label");
            assertEquals(2.0, after.value("backuphub_copy_duration_seconds_count", Map.of("target", target)));
            assertEquals(1.0, after.value("backuphub_copy_duration_seconds_bucket", Map.of("target", target, "le", "0.5")));
            assertEquals(2.0, after.value("backuphub_copy_duration_seconds_bucket", Map.of("target", target, "le", "5.0")));
            assertEquals(1.0, after.value("backuphub_api_requests_total", Map.of("operation", "listBackups", "status", "200")));
        }
    }

    @Test
    void aFanOutRunAndApiRequestsShowAsBytesCopiedCopyDurationsAndRequestsByOperationAndStatus() throws Exception {
        String target = "file:" + dataDir.resolve("storage");
        try (TestHub hub = providers.hubOn(dataDir).with("hub.storage.targets", target)
                .with("hub.cloud66.download-hosts", "127.0.0.1")
                .with("hub.api.clients", "metrics-token=*").start()) {
            hub.sync("cloud66");
            hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
            long stored = hub.count("SELECT COUNT(*) FROM copies WHERE status = 'stored'");
            long bytes = hub.count("SELECT SUM(size_bytes) FROM copies WHERE status = 'stored'");
            assertTrue(stored > 0);
            long instance = hub.count("SELECT MIN(backup_instance_id) FROM backups");

            assertEquals(200, api(hub, "/v1/backup_instances/" + instance + "/backups"));
            assertEquals(404, api(hub, "/v1/backup_instances/999999/backups"));
            assertEquals(401, apiWithoutToken(hub, "/v1/backup_instances/" + instance + "/backups"));

            PrometheusText metrics = scrape(hub);
            assertEquals((double) bytes, metrics.value("backuphub_copied_bytes_total", Map.of("target", target)));
            assertEquals((double) stored, metrics.value("backuphub_copy_duration_seconds_count", Map.of("target", target)));
            assertEquals((double) stored, metrics.value("backuphub_copy_duration_seconds_bucket",
                    Map.of("target", target, "le", "+Inf")));
            assertTrue(metrics.value("backuphub_copy_duration_seconds_sum", Map.of("target", target)) > 0);
            assertEquals(1.0, metrics.value("backuphub_api_requests_total",
                    Map.of("operation", "list-backups", "status", "200")));
            assertEquals(1.0, metrics.value("backuphub_api_requests_total",
                    Map.of("operation", "list-backups", "status", "404")));
            assertEquals(1.0, metrics.value("backuphub_api_requests_total",
                    Map.of("operation", "list-backups", "status", "401")));

            // a second run finds every copy stored: nothing more is counted as copied
            hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
            assertEquals((double) bytes, scrape(hub).value("backuphub_copied_bytes_total", Map.of("target", target)));
        }
    }

    private static int api(TestHub hub, String path) throws Exception {
        return send(hub, path, "Bearer metrics-token");
    }

    private static int apiWithoutToken(TestHub hub, String path) throws Exception {
        return send(hub, path, null);
    }

    private static int send(TestHub hub, String path, String authorization) throws Exception {
        int port = Integer.parseInt(hub.context().resolvePropertyPlaceholders("{{hub.api.port}}"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theStrictReaderRejectsWhatIsNotPrometheusText() {
        assertNotNull(PrometheusText.parse("# TYPE a_total counter\na_total{x=\"1\"} 2.0\n").value("a_total", Map.of()));
        assertThrows(AssertionError.class, () -> PrometheusText.parse("a_total 1\n"), "no TYPE before the sample");
        assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a gauge\na{x=1} 1\n"), "unquoted label");
        assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a gauge\na one\n"), "not a number");
        assertThrows(AssertionError.class, () -> PrometheusText.parse("# TYPE a gauge\na 1"), "no final line feed");
    }
}
