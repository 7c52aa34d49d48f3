package io.backuphub.schedule;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.backuphub.TestHub;
import io.backuphub.provider.SimulatedProviders;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Per-instance schedules: changed through the API, they take effect at once and survive a restart. */
class InstanceScheduleTest {

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    @Test
    void aFrequencyChangedThroughTheApiFiresOnTheNewCronWithoutARestart() throws Exception {
        try (TestHub hub = hub()) {
            hub.sync("vprotect");
            long vm = hub.count("SELECT id FROM backup_instances WHERE name = 'web-01'");
            assertEquals(200, put(hub, vm, "0 0 3 1 1 ? 2098").statusCode());
            assertNotNull(hub.context().getRoute("instance-schedule-" + vm));
            assertEquals(0, syncsOf(hub, vm));

            assertEquals(200, put(hub, vm, "0/1 * * * * ?").statusCode());

            await().atMost(Duration.ofSeconds(30)).until(() -> syncsOf(hub, vm) > 0);
            assertEquals("succeeded", hub.rows("SELECT outcome FROM sync_runs WHERE scope = 'instance:" + vm + "'")
                    .get(0).get("outcome"));
        }
    }

    @Test
    void manualRemovesTheScheduleAndANamedFrequencySpreadsOverTheHour() throws Exception {
        try (TestHub hub = hub()) {
            hub.sync("vprotect");
            long vm = hub.count("SELECT id FROM backup_instances WHERE name = 'db-01'");
            assertEquals(200, put(hub, vm, "daily").statusCode());
            QuartzEndpoint quartz = (QuartzEndpoint) hub.context().getRoute("instance-schedule-" + vm).getEndpoint();
            assertEquals("0 " + (vm % 60) + " 2 * * ?", quartz.getCron());

            assertEquals(200, put(hub, vm, "manual").statusCode());
            assertNull(hub.context().getRoute("instance-schedule-" + vm));
        }
    }

    @Test
    void storedSchedulesAreRunningAgainAfterARestart() throws Exception {
        long vm;
        try (TestHub hub = hub()) {
            hub.sync("vprotect");
            vm = hub.count("SELECT id FROM backup_instances WHERE name = 'erp'");
            assertEquals(200, put(hub, vm, "0 0 4 * * ?").statusCode());
        }
        try (TestHub restarted = hub()) {
            assertNotNull(restarted.context().getRoute("instance-schedule-" + vm), "scheduled from the catalog");
            assertEquals("0 0 4 * * ?", restarted.rows("SELECT backup_frequency FROM backup_instances WHERE id = " + vm)
                    .get(0).get("backup_frequency"));
        }
    }

    private TestHub hub() {
        // a schedule every second, so the test sees it fire (the default minimum through the API is minutes)
        return providers.hubOn(dataDir).with("hub.api.clients", "t=*")
                .with("hub.vprotect.min-schedule-interval-seconds", "1").start();
    }

    private static long syncsOf(TestHub hub, long instanceId) {
        return hub.count("SELECT COUNT(*) FROM sync_runs WHERE scope = 'instance:" + instanceId + "'");
    }

    private HttpResponse<String> put(TestHub hub, long instanceId, String frequency) throws Exception {
        String port = hub.context().resolvePropertyPlaceholders("{{hub.api.port}}");
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/backup_instances/" + instanceId))
                .header("Authorization", "Bearer t")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"backup_instance\":{\"backup_frequency\":\"" + frequency + "\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
