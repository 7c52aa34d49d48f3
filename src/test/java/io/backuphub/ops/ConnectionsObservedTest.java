package io.backuphub.ops;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import io.backuphub.TestHub;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two connections of one provider are observed apart: each has its own health check, JMX source MBean and
 * {@code source} label in the metrics, and a failing account shows as failing without touching the other. No
 * token of either shows anywhere an operator looks.
 */
class ConnectionsObservedTest {

    private static final String ACME_TOKEN = "acme-c66-secret-token";
    private static final String GLOBEX_TOKEN = "globex-c66-secret-token";

    @Test
    void eachConnectionHasItsOwnHealthCheckMBeanAndMetricsAndNoneShowsItsToken(@TempDir Path dataDir) throws Exception {
        try (Cloud66Simulator acmeCloud = new Cloud66Simulator(ACME_TOKEN).start();
             // globex's account no longer takes the token the hub has: every poll of it is refused
             Cloud66Simulator globexCloud = new Cloud66Simulator("a-rotated-token").start();
             LoopbackJmx loopbackJmx = new LoopbackJmx()) {
            acmeCloud.addStack("stk-acme", "Shop");
            globexCloud.addStack("stk-globex", "Blog");
            Instant day = Instant.parse("2026-10-01T02:00:00Z");
            for (int i = 1; i <= 3; i++) {
                acmeCloud.addBackup("stk-acme", i, "mysql", "shop_db", day.plusSeconds(3600L * i), 0, 1000L * i);
            }
            try (TestHub hub = connection(connection(TestHub.on(dataDir), "acme-c66", "acme", acmeCloud, ACME_TOKEN),
                    "globex-c66", "globex", globexCloud, GLOBEX_TOKEN)
                    .with("hub.health.max-consecutive-failures", "2")
                    .start()) {
                assertTrue(hub.sync("acme-c66").succeeded());
                assertFalse(hub.sync("globex-c66").succeeded());
                assertFalse(hub.sync("globex-c66").succeeded());

                Observe.Response health = Observe.get(hub, "/observe/health/ready?data=true");
                assertEquals(503, health.status(), "one connection DOWN makes the hub not ready");
                assertEquals("UP", health.check("acme-c66").path("status").asText(), health.body());
                assertEquals("succeeded", health.check("acme-c66").path("data").path("last.outcome").asText());
                assertEquals("DOWN", health.check("globex-c66").path("status").asText(), health.body());
                assertEquals(2, health.check("globex-c66").path("data").path("consecutive.failures").asInt());
                assertTrue(health.message("globex-c66").startsWith("globex-c66: the last 2 polls failed"),
                        health.message("globex-c66"));

                MBeanServerConnection jmx = loopbackJmx.connection();
                ObjectName acme = new ObjectName("backuphub:type=source,name=acme-c66");
                ObjectName globex = new ObjectName("backuphub:type=source,name=globex-c66");
                assertEquals("succeeded", jmx.getAttribute(acme, "LastPollResult"));
                assertEquals(3L, jmx.getAttribute(acme, "BackupsNew"));
                assertEquals(0, jmx.getAttribute(acme, "ConsecutiveFailures"));
                assertEquals("failed", jmx.getAttribute(globex, "LastPollResult"));
                assertEquals(2, jmx.getAttribute(globex, "ConsecutiveFailures"));
                String globexError = (String) jmx.getAttribute(globex, "LastError");
                assertTrue(globexError.contains("401"), globexError);

                Observe.Response metricsPage = Observe.get(hub, "/observe/metrics");
                PrometheusText metrics = PrometheusText.parse(metricsPage.body());
                assertEquals(1.0, metrics.value("backuphub_polls_total", Map.of("source", "acme-c66", "outcome", "succeeded")));
                assertEquals(0.0, metrics.value("backuphub_polls_total", Map.of("source", "acme-c66", "outcome", "failed")));
                assertEquals(2.0, metrics.value("backuphub_polls_total", Map.of("source", "globex-c66", "outcome", "failed")));
                assertEquals(3.0, metrics.counter("backuphub_backups_ingested_total",
                        Map.of("source", "acme-c66", "change", "new")));
                assertTrue(metrics.value("backuphub_lag_seconds", Map.of("source", "globex-c66")).isNaN(),
                        "globex has no backup yet");

                for (String seen : new String[] {health.body(), metricsPage.body(), globexError,
                        Observe.get(hub, "/observe/health?data=true").body()}) {
                    assertFalse(seen.contains(ACME_TOKEN) || seen.contains(GLOBEX_TOKEN), seen);
                }
            }
        }
    }

    private static TestHub.Builder connection(TestHub.Builder hub, String name, String customer, Cloud66Simulator cloud,
                                              String token) {
        String prefix = "hub.sources." + name + ".";
        return hub.with(prefix + "provider", "cloud66")
                .with(prefix + "customer", customer)
                .with(prefix + "base-url", cloud.baseUrl())
                .with(prefix + "token", token)
                .with(prefix + "schedule", TestHub.NEVER);
    }
}
