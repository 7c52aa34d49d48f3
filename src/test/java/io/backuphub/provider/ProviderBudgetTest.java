package io.backuphub.provider;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.backuphub.TestHub;
import io.backuphub.ops.SourceControl;
import io.backuphub.demo.Fault;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request budget of a provider account: a burst of work over it waits for permits instead of failing, and the
 * provider never sees more calls in a window than the budget allows. The test budget is 5 calls in any 4 seconds
 * (4,500 an hour spread over 4-second windows) so a small burst crosses it several times.
 */
class ProviderBudgetTest {

    private static final String TOKEN = "budget-token";
    private static final int PER_PERIOD = 5;
    private static final long PERIOD_MS = 4_000;
    /**
     * The hub takes a permit a moment before its call reaches the simulator; on a busy machine arrivals may bunch by
     * that much (six calls within 3 s still could not happen without the budget, which lets five in 4 s through).
     */
    private static final long ARRIVAL_JITTER_MS = 1_000;
    private static final String API_CALLS = "^/api/3/";

    @TempDir
    Path dataDir;

    private final Cloud66Simulator cloud66 = new Cloud66Simulator(TOKEN).start();
    private final ExecutorService burst = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        burst.shutdownNow();
        cloud66.close();
    }

    @Test
    void aBurstOfSyncsOverTheBudgetWaitsStaysWithinItAndEverySyncStillCompletes() throws Exception {
        cloud66.addStack("stk-a", "Shop");
        Instant day = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String[][] databases = {{"mysql", "shop_db"}, {"postgresql", "analytics"}, {"redis", "cache"}};
        int id = 1;
        for (String[] db : databases) {
            for (int i = 0; i < 2; i++) {
                cloud66.addBackup("stk-a", id, db[0], db[1], day.plus(id, ChronoUnit.HOURS), 0, 100L * id);
                id++;
            }
        }

        try (TestHub hub = TestHub.on(dataDir).cloud66(cloud66.baseUrl(), TOKEN)
                .with("hub.cloud66.requests-per-hour", Long.toString(PER_PERIOD * 3_600_000L / PERIOD_MS))
                .with("hub.cloud66.budget-period-seconds", Long.toString(PERIOD_MS / 1000))
                .start()) {
            ProviderBudget budget = ProviderBudget.of(hub.context(), "cloud66").orElseThrow();
            assertEquals(PER_PERIOD, budget.perPeriod());

            // the first sync alone (stacks, backups, the files of 6 backups) is over the budget: it waits, then ends
            assertTrue(hub.sync("cloud66").succeeded(), "the first sync completes");
            List<Long> instances = hub.rows("SELECT id FROM backup_instances ORDER BY id").stream()
                    .map(r -> ((Number) r.get("id")).longValue()).toList();
            assertEquals(3, instances.size());

            // a burst: operators' syncs-now of the source and a sync of every instance, all at once
            AtomicBoolean sawWaitingInHealth = new AtomicBoolean();
            List<Future<String>> work = new ArrayList<>();
            SourceControl control = new SourceControl(hub.context(), "cloud66");
            for (int i = 0; i < 4; i++) {
                work.add(burst.submit(control::syncNow));
            }
            for (long instance : instances) {
                work.add(burst.submit(() -> {
                    SyncRun run = hub.syncInstance(instance);
                    return run.succeeded() ? "instance sync succeeded" : "instance sync failed: " + run.error();
                }));
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                Map<String, Object> details = health(hub).getDetails();
                if (((Number) details.get("budget.waiting")).intValue() > 0) {
                    sawWaitingInHealth.set(true);
                }
                return sawWaitingInHealth.get() || work.stream().allMatch(Future::isDone);
            });
            assertTrue(sawWaitingInHealth.get(), "the source's health showed calls waiting for the budget");

            for (Future<String> done : work) {
                String outcome = done.get(45, TimeUnit.SECONDS);
                assertTrue(outcome.contains("sync succeeded"), "every requested sync completes: " + outcome);
            }

            // the provider never saw more than the budget in any window
            List<Long> arrivals = cloud66.requestTimes(API_CALLS);
            assertTrue(arrivals.size() > 3 * PER_PERIOD, "the work needed several windows: " + arrivals.size());
            // (from the second call: the first one's permit is taken before the HTTP client has started)
            for (int i = 1; i + PER_PERIOD < arrivals.size(); i++) {
                long span = arrivals.get(i + PER_PERIOD) - arrivals.get(i);
                assertTrue(span >= PERIOD_MS - ARRIVAL_JITTER_MS, "calls " + i + " to " + (i + PER_PERIOD)
                        + " (" + (PER_PERIOD + 1) + " calls) came within " + span + " ms; the budget is " + PER_PERIOD
                        + " in " + PERIOD_MS + " ms; arrivals (ms after the first): "
                        + arrivals.stream().map(t -> t - arrivals.get(0)).toList());
            }

            // health and metrics say that work waited
            HealthCheck.Result result = health(hub);
            assertEquals(HealthCheck.State.UP, result.getState(), "waiting for the budget is not a failure");
            assertEquals((int) (PER_PERIOD * 3_600_000L / PERIOD_MS), ((Number) result.getDetails().get("budget.per-hour")).intValue());
            assertEquals(0, ((Number) result.getDetails().get("budget.waiting")).intValue(), "nothing waits any more");
            assertTrue(budget.waits() > 0);
            String scrape = hub.context().getRegistry().lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class)
                    .scrape();
            assertTrue(scrape.lines().anyMatch(l -> l.startsWith("backuphub_provider_budget_waits_total{source=\"cloud66\"}")
                    && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1), scrape);
            assertTrue(scrape.contains("backuphub_provider_budget_remaining{source=\"cloud66\"}"), scrape);
            assertTrue(scrape.contains("backuphub_provider_budget_waiting{source=\"cloud66\"}"), scrape);
        }
    }

    @Test
    void aRetriedCallGoesThroughTheBudgetAgainAndAnExpiredVProtectSessionIsRenewedThroughIt() throws Exception {
        try (SimulatedProviders providers = new SimulatedProviders();
             TestHub hub = providers.hubOn(dataDir).with("hub.cloud66.enabled", "false").start()) {
            ProviderBudget budget = ProviderBudget.of(hub.context(), "vprotect").orElseThrow();
            providers.vprotect.failNext("^/api/backups$", 1, Fault.status(401));
            // a 500 (the HTTP client itself repeats a 503 or 429 once, below Camel and so below the budget)
            providers.vprotect.failNext("^/api/backups$", 1, Fault.status(500));

            assertTrue(hub.sync("vprotect").succeeded(), "the 401 logs in again, the 500 is redelivered");

            // every call the simulator saw, the refused ones and the renewed login included, passed the budget
            int seen = providers.vprotect.requestTimes("^/api/").size();
            assertEquals(seen, budget.perPeriod() - budget.remaining(), "calls through the budget = calls made");
        }
    }

    private static HealthCheck.Result health(TestHub hub) {
        return HealthCheckRegistry.get(hub.context()).getCheck("cloud66").orElseThrow().call();
    }
}
