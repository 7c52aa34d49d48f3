package io.backuphub.provider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.backuphub.CapturedLogs;
import io.backuphub.TestHub;
import io.backuphub.demo.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The circuit breaker around a source's sync, against a Cloud66 simulator that answers 503 to everything. */
class ProviderBreakerTest {

    private static final long WAIT_MS = 2000;

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    private TestHub hub() {
        return providers.hubOn(dataDir)
                .with("hub.cloud66.breaker.minimum-number-of-calls", "3")
                .with("hub.cloud66.breaker.wait-duration-ms", Long.toString(WAIT_MS))
                .with("hub.http.max-redeliveries", "1")
                .start();
    }

    @Test
    void aProviderThatStaysDownTripsTheBreakerWhichSkipsPollsUntilTheWaitThenClosesOnSuccess() {
        try (TestHub hub = hub()) {
            assertEquals("CLOSED", health(hub).getDetails().get("breaker.state"));
            assertEquals(0.0, breakerGauge(hub));
            providers.cloud66.failAlways("", Fault.status(503));

            for (int poll = 1; poll <= 3; poll++) {
                SyncRun run = hub.sync("cloud66");
                assertFalse(run.succeeded());
                assertFalse(run.skipped(), "poll " + poll + " calls the provider");
            }
            assertTrue(providers.cloud66.requestCount("") > 0);

            HealthCheck.Result open = health(hub);
            assertEquals("OPEN", open.getDetails().get("breaker.state"));
            assertEquals(HealthCheck.State.DOWN, open.getState());
            String message = open.getMessage().orElseThrow();
            assertTrue(message.startsWith("cloud66: circuit breaker OPEN, polls are skipped until "), message);
            assertTrue(message.contains("throttling or unavailable (503)"), message);
            assertEquals(1.0, breakerGauge(hub));

            providers.cloud66.resetRequestCounts();
            try (CapturedLogs logs = CapturedLogs.start()) {
                long started = System.nanoTime();
                SyncRun skipped = hub.sync("cloud66");
                long tookMs = (System.nanoTime() - started) / 1_000_000;

                assertTrue(skipped.skipped());
                assertFalse(skipped.succeeded());
                assertTrue(skipped.error().startsWith("circuit open: cloud66 kept failing"), skipped.error());
                assertTrue(tookMs < 1000, "skipped quickly, took " + tookMs + " ms");
                assertEquals(0, providers.cloud66.requestCount(""), "no request while the breaker is open");
                List<String> lines = logs.containing("source=cloud66");
                assertEquals(1, lines.size(), "one line per skipped poll: " + lines);
                assertTrue(lines.get(0).startsWith("WARN source=cloud66 scope=all sync skipped: circuit open"), lines.get(0));
                assertEquals(List.of(), logs.containing("[with stack trace]"));
            }
            Map<String, Object> recorded = hub.rows("SELECT outcome, error FROM sync_runs WHERE source = 'cloud66' "
                    + "ORDER BY id DESC").get(0);
            assertEquals("failed", recorded.get("outcome"));
            assertTrue(((String) recorded.get("error")).startsWith("circuit open"), (String) recorded.get("error"));

            providers.cloud66.clearFaults();
            assertTrue(hub.sync("cloud66").skipped(), "still open until the wait is over, even though the provider is back");
            assertEquals(0, providers.cloud66.requestCount(""));

            await().atMost(Duration.ofMillis(WAIT_MS * 3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ProviderBreaker.of(hub.context(), "cloud66").orElseThrow().nextAttemptAt()
                            .isBefore(java.time.Instant.now()));
            SyncRun recovered = hub.sync("cloud66");

            assertTrue(recovered.succeeded(), String.valueOf(recovered.error()));
            assertEquals(CLOUD66_BACKUPS, recovered.newCount());
            HealthCheck.Result closed = health(hub);
            assertEquals("CLOSED", closed.getDetails().get("breaker.state"));
            assertEquals(HealthCheck.State.UP, closed.getState());
            assertEquals(0.0, breakerGauge(hub));
        }
    }

    @Test
    void aPollLetThroughAfterTheWaitThatFailsAgainOpensTheBreakerForAnotherWait() {
        try (TestHub hub = hub()) {
            providers.cloud66.failAlways("", Fault.status(503));
            for (int poll = 1; poll <= 3; poll++) {
                hub.sync("cloud66");
            }
            ProviderBreaker breaker = ProviderBreaker.of(hub.context(), "cloud66").orElseThrow();
            assertEquals("OPEN", breaker.state().name());

            await().atMost(Duration.ofMillis(WAIT_MS * 3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> breaker.nextAttemptAt().isBefore(java.time.Instant.now()));
            providers.cloud66.resetRequestCounts();
            SyncRun halfOpen = hub.sync("cloud66");

            assertFalse(halfOpen.skipped(), "one poll is let through after the wait");
            assertTrue(providers.cloud66.requestCount("") > 0);
            assertEquals("OPEN", breaker.state().name());
            assertTrue(hub.sync("cloud66").skipped());
        }
    }

    @Test
    void theOtherSourceKeepsPollingWhileOneSourcesBreakerIsOpen() {
        try (TestHub hub = hub()) {
            providers.cloud66.failAlways("", Fault.status(503));
            for (int poll = 1; poll <= 3; poll++) {
                hub.sync("cloud66");
            }

            SyncRun vprotect = hub.sync("vprotect");

            assertTrue(vprotect.succeeded(), String.valueOf(vprotect.error()));
            assertEquals("CLOSED", ProviderBreaker.of(hub.context(), "vprotect").orElseThrow().state().name());
            assertEquals(HealthCheck.State.UP, HealthCheckRegistry.get(hub.context()).getCheck("vprotect")
                    .orElseThrow().call().getState());
        }
    }

    private static HealthCheck.Result health(TestHub hub) {
        return HealthCheckRegistry.get(hub.context()).getCheck("cloud66").orElseThrow().call();
    }

    private static double breakerGauge(TestHub hub) {
        MeterRegistry registry = hub.context().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        return registry.get("backuphub.provider.breaker.state").tag("source", "cloud66").gauge().value();
    }
}
