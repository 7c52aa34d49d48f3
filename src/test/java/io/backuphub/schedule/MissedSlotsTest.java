package io.backuphub.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.backuphub.TestHub;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MissedSlotsTest {

    private static final String DAILY_AT_MIDNIGHT = "0 0 0 * * ?";

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    @Test
    void slotsMissedWhileTheHubWasDownRunOnceAtStartNotOncePerSlot() throws Exception {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("cloud66");
            // the hub "was down" for three days: three daily slots missed
            hub.catalog().inTransaction(c -> c.createStatement().executeUpdate(
                    "UPDATE sync_runs SET started_at = started_at - INTERVAL '3' DAY"));
        }
        try (TestHub restarted = providers.hubOn(dataDir).with("hub.cloud66.schedule", DAILY_AT_MIDNIGHT)
                .with("hub.schedule.catch-up-delay-ms", "100").start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> cloud66Runs(restarted) == 2);
            restarted.context().getRouteController().stopRoute("schedule-catch-up");
            assertEquals(2, cloud66Runs(restarted), "one catch-up run for three missed slots");
        }
    }

    @Test
    void noSlotMissedMeansNoExtraRunAtStart() throws Exception {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("cloud66");
        }
        try (TestHub restarted = providers.hubOn(dataDir).with("hub.cloud66.schedule", DAILY_AT_MIDNIGHT)
                .with("hub.schedule.catch-up-delay-ms", "100").start()) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    restarted.context().getRoute("schedule-catch-up").getUptimeMillis() > 1000);
            assertEquals(1, cloud66Runs(restarted));
        }
    }

    @Test
    void aSyncStillRunningWhenItsNextSlotComesIsNotStartedTwice() {
        // every second, while each poll takes about three seconds
        providers.cloud66.failAlways("/stacks$", Fault.delay(Duration.ofSeconds(3)));
        try (TestHub hub = providers.hubOn(dataDir).with("hub.cloud66.schedule", "* * * * * ?").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> cloud66Runs(hub) >= 3);
            List<Map<String, Object>> runs = hub.rows("SELECT started_at, finished_at FROM sync_runs "
                    + "WHERE source = 'cloud66' ORDER BY started_at");
            for (int i = 1; i < runs.size(); i++) {
                Instant previousEnd = instant(runs.get(i - 1).get("finished_at"));
                Instant start = instant(runs.get(i).get("started_at"));
                assertFalse(start.isBefore(previousEnd), "run " + i + " started before run " + (i - 1) + " ended");
            }
            assertTrue(runs.size() < 12, "no backlog of queued runs: " + runs.size());
        }
    }

    @Test
    void aHubThatNeverRanHasMissedNothing() {
        Instant now = Instant.now();
        assertFalse(MissedSlots.missed(DAILY_AT_MIDNIGHT, java.util.Optional.empty(), now));
        assertTrue(MissedSlots.missed(DAILY_AT_MIDNIGHT, java.util.Optional.of(now.minus(Duration.ofDays(2))), now));
        assertFalse(MissedSlots.missed("0 0 0 1 1 ? 2099", java.util.Optional.of(now.minus(Duration.ofDays(2))), now));
    }

    private static long cloud66Runs(TestHub hub) {
        return hub.count("SELECT COUNT(*) FROM sync_runs WHERE source = 'cloud66' AND scope = 'all'");
    }

    private static Instant instant(Object value) {
        return value instanceof java.time.OffsetDateTime t ? t.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }
}
