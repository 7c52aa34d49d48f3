package io.backuphub.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.backuphub.TestHub;
import io.backuphub.demo.Fault;
import io.backuphub.provider.SimulatedProviders;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slots of a schedule missed while the hub (or the whole cluster) was down are misfires in the job store: Quartz
 * fires the job once when the hub is back, not once per missed slot. On H2, and on PostgreSQL (one node and a
 * cluster of one) when HUB_TEST_POSTGRES_URL is set.
 */
class MisfireTest {

    /**
     * The poll's slots: every second for {@link #WINDOW}, from this long after the test starts its first hub (which
     * stops within the window, however long it takes to start and stop on a busy machine).
     */
    private static final Duration LEAD = Duration.ofSeconds(4);
    private static final Duration WINDOW = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    static Stream<Arguments> stores() {
        return CatalogDatabase.kinds().flatMap(kind -> kind.equals(CatalogDatabase.H2)
                ? Stream.of(Arguments.of(kind, false))
                : Stream.of(Arguments.of(kind, false), Arguments.of(kind, true)));
    }

    @ParameterizedTest(name = "{0}, clustered: {1}")
    @MethodSource("stores")
    void slotsMissedWhileTheHubWasDownRunOnceWhenItIsBackNotOncePerSlot(String database, boolean clustered)
            throws Exception {
        ZonedDateTime first = slotsStartingIn(LEAD);
        ZonedDateTime last = first.plus(WINDOW);
        String cron = first.getSecond() + "-" + last.getSecond() + " " + first.getMinute() + " " + first.getHour()
                + " " + first.getDayOfMonth() + " " + first.getMonthValue() + " ? " + first.getYear();
        try (CatalogDatabase db = CatalogDatabase.fresh(database)) {
            TestHub.Builder hub = db.hub(providers.hubOn(dataDir))
                    .with("hub.cloud66.schedule", cron)
                    .with("hub.schedule.misfire-threshold-ms", "1000")
                    .with("hub.cluster.enabled", Boolean.toString(clustered))
                    .with("hub.cluster.checkin-interval-ms", "1000");
            try (TestHub before = hub.start()) {
                assertEquals(clustered, scheduler(before).getMetaData().isJobStoreClustered());
            }
            Instant stopped = Instant.now();
            long missed = Duration.between(stopped, last.toInstant()).toSeconds();
            assertTrue(missed >= 3, "the hub is down over at least three slots, not " + missed + " (stopped " + stopped
                    + ", last slot " + last + ")");

            // down until the last slot has passed by more than the misfire threshold
            Thread.sleep(Duration.between(Instant.now(), last.toInstant()).toMillis() + 2500);

            Instant restarted = Instant.now();
            try (TestHub hubAgain = hub.start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> cloud66RunsSince(hubAgain, restarted) >= 1);
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                        .until(() -> cloud66RunsSince(hubAgain, restarted) == 1);
                assertEquals(1, cloud66RunsSince(hubAgain, restarted), "one catch-up poll for " + missed + " missed slots");
            }
        }
    }

    @Test
    void aRestartWithNoSlotMissedRunsNothingExtra() throws Exception {
        ZonedDateTime first = ZonedDateTime.now(ZoneId.systemDefault()).plusMinutes(5).truncatedTo(ChronoUnit.SECONDS);
        String cron = first.getSecond() + " " + first.getMinute() + " " + first.getHour() + " "
                + first.getDayOfMonth() + " " + first.getMonthValue() + " ? " + first.getYear();
        TestHub.Builder hub = providers.hubOn(dataDir).with("hub.cloud66.schedule", cron)
                .with("hub.schedule.misfire-threshold-ms", "1000");
        try (TestHub before = hub.start()) {
            before.sync("cloud66");
        }
        try (TestHub restarted = hub.start()) {
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> cloud66Runs(restarted) == 1);
            assertEquals(first.toInstant(), scheduler(restarted).getTrigger(TriggerKey.triggerKey("cloud66-poll",
                    SchedulerConfiguration.ROUTE_GROUP)).getNextFireTime().toInstant(), "the stored trigger waits for its slot");
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

    /**
     * The first of the slots, at least {@code lead} from now, with all of {@link #WINDOW} in one minute of the JVM's
     * time zone (the one Quartz reads a cron in).
     */
    private static ZonedDateTime slotsStartingIn(Duration lead) throws InterruptedException {
        ZonedDateTime first = ZonedDateTime.now(ZoneId.systemDefault()).plus(lead).truncatedTo(ChronoUnit.SECONDS)
                .plusSeconds(1);
        if (first.getSecond() + WINDOW.toSeconds() > 59) {
            Thread.sleep(Duration.ofSeconds(60 - first.getSecond() + 1).toMillis());
            return slotsStartingIn(lead);
        }
        return first;
    }

    private static Scheduler scheduler(TestHub hub) {
        return hub.context().getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    private static long cloud66RunsSince(TestHub hub, Instant since) {
        return hub.rows("SELECT started_at FROM sync_runs WHERE source = 'cloud66' AND scope = 'all'").stream()
                .filter(run -> !instant(run.get("started_at")).isBefore(since)).count();
    }

    private static long cloud66Runs(TestHub hub) {
        return hub.count("SELECT COUNT(*) FROM sync_runs WHERE source = 'cloud66' AND scope = 'all'");
    }

    private static Instant instant(Object value) {
        return value instanceof java.time.OffsetDateTime t ? t.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }
}
