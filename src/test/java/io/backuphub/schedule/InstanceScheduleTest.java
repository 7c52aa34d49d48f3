package io.backuphub.schedule;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;

import io.backuphub.TestHub;
import io.backuphub.provider.SimulatedProviders;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Per-instance schedules: changed through the API, they take effect at once as jobs in the job store (the catalog
 * database: H2, and PostgreSQL when HUB_TEST_POSTGRES_URL is set) and survive a restart.
 */
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
            assertEquals(Optional.of("0 0 3 1 1 ? 2098"), new InstanceSchedules(hub.context()).cron(vm));
            assertEquals(0, syncsOf(hub, vm));

            assertEquals(200, put(hub, vm, "0/1 * * * * ?").statusCode());

            await().atMost(Duration.ofSeconds(30)).until(() -> syncsOf(hub, vm) > 0);
            assertEquals("succeeded", hub.rows("SELECT outcome FROM sync_runs WHERE scope = 'instance:" + vm + "'")
                    .get(0).get("outcome"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.backuphub.schedule.CatalogDatabase#kinds")
    void manualRemovesTheScheduleAndANamedFrequencySpreadsOverTheHour(String database) throws Exception {
        try (CatalogDatabase db = CatalogDatabase.fresh(database); TestHub hub = hub(db)) {
            hub.sync("vprotect");
            long vm = hub.count("SELECT id FROM backup_instances WHERE name = 'db-01'");
            assertEquals(200, put(hub, vm, "daily").statusCode());
            CronTrigger stored = (CronTrigger) scheduler(hub).getTrigger(InstanceSchedules.triggerKey(vm));
            assertEquals("0 " + (vm % 60) + " 2 * * ?", stored.getCronExpression(), "a trigger in the job store");
            assertEquals(1, hub.count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = 'instance-" + vm + "'"),
                    "a row of the catalog's job store tables");

            assertEquals(200, put(hub, vm, "manual").statusCode());
            assertFalse(scheduler(hub).checkExists(InstanceSchedules.jobKey(vm)), "the job is deleted");
            assertEquals(0, hub.count("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS WHERE JOB_NAME = 'instance-" + vm + "'"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.backuphub.schedule.CatalogDatabase#kinds")
    void storedSchedulesAreRunningAgainAfterARestart(String database) throws Exception {
        try (CatalogDatabase db = CatalogDatabase.fresh(database)) {
            long vm;
            Date scheduledAt;
            try (TestHub hub = hub(db)) {
                hub.sync("vprotect");
                vm = hub.count("SELECT id FROM backup_instances WHERE name = 'erp'");
                assertEquals(200, put(hub, vm, "0 0 4 * * ?").statusCode());
                scheduledAt = scheduler(hub).getTrigger(InstanceSchedules.triggerKey(vm)).getStartTime();
            }
            try (TestHub restarted = hub(db)) {
                CronTrigger stored = (CronTrigger) scheduler(restarted).getTrigger(InstanceSchedules.triggerKey(vm));
                assertEquals("0 0 4 * * ?", stored.getCronExpression(), "scheduled from the job store");
                assertEquals(scheduledAt, stored.getStartTime(), "the same trigger: nothing re-created at start");
                assertEquals("0 0 4 * * ?", restarted.rows("SELECT backup_frequency FROM backup_instances WHERE id = "
                        + vm).get(0).get("backup_frequency"));
            }
        }
    }

    @Test
    void anInstanceScheduledBeforeTheJobStoreGetsItsJobAtTheFirstStart() throws Exception {
        long vm;
        try (TestHub hub = hub()) {
            hub.sync("vprotect");
            vm = hub.count("SELECT id FROM backup_instances WHERE name = 'web-01'");
            // as a hub that kept its schedules in memory left it: a frequency in the catalog, no job in the store
            hub.catalog().inTransaction(c -> c.createStatement().executeUpdate(
                    "UPDATE backup_instances SET backup_frequency = '0 0/1 * * * ?' WHERE id = " + vm));
            assertFalse(scheduler(hub).checkExists(InstanceSchedules.jobKey(vm)));
        }
        try (TestHub restarted = hub()) {
            assertEquals(Optional.of("0 0/1 * * * ?"), new InstanceSchedules(restarted.context()).cron(vm));
        }
    }

    private TestHub hub() {
        return hub(null);
    }

    private TestHub hub(CatalogDatabase db) {
        // a schedule every second, so the test sees it fire (the default minimum through the API is minutes)
        TestHub.Builder hub = providers.hubOn(dataDir).with("hub.api.clients", "t=*")
                .with("hub.vprotect.min-schedule-interval-seconds", "1");
        return (db == null ? hub : db.hub(hub)).start();
    }

    private static Scheduler scheduler(TestHub hub) {
        return hub.context().getComponent("quartz", QuartzComponent.class).getScheduler();
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
