package io.backuphub.ops;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.backuphub.TestHub;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.provider.SyncRun;
import io.backuphub.demo.Fault;
import org.apache.camel.spi.ShutdownStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping the hub (what SIGTERM does through Camel Main) while a sync is running against a slow provider:
 * the sync finishes within camel.main.shutdown-timeout, or is cut off with nothing half-written.
 */
class GracefulShutdownTest {

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    private long query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("catalog"), "sa", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aSyncInFlightWhenTheHubStopsCompletesWithinTheShutdownTimeout() throws Exception {
        providers.cloud66.failAlways("/backups$", Fault.delay(Duration.ofMillis(300)));
        TestHub hub = providers.hubOn(dataDir).start();
        ShutdownStrategy shutdown = hub.context().getShutdownStrategy();
        CompletableFuture<SyncRun> sync = CompletableFuture.supplyAsync(() -> hub.sync("cloud66"));
        await().atMost(Duration.ofSeconds(30)).until(() -> providers.cloud66.requestCount("/backups$") > 0);

        hub.close();

        assertFalse(shutdown.hasTimeoutOccurred(), "the sync finished before the timeout");
        SyncRun run = sync.get();
        assertTrue(run.succeeded(), run.error());
        assertEquals(CLOUD66_BACKUPS, run.newCount());
        assertEquals(CLOUD66_BACKUPS, query("SELECT COUNT(*) FROM backups"));
        assertEquals(1, query("SELECT COUNT(*) FROM sync_runs WHERE outcome = 'succeeded'"), "the run is recorded");
    }

    @Test
    void aSyncLongerThanTheShutdownTimeoutIsCutOffWithNothingHalfWritten() throws Exception {
        providers.cloud66.failAlways("/files$", Fault.delay(Duration.ofMillis(400)));
        TestHub hub = providers.hubOn(dataDir).with("camel.main.shutdown-timeout", "1").start();
        ShutdownStrategy shutdown = hub.context().getShutdownStrategy();
        CompletableFuture<SyncRun> sync = CompletableFuture.supplyAsync(() -> hub.sync("cloud66"));
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.catalog().count("backups") >= 2);

        hub.close();

        assertTrue(shutdown.hasTimeoutOccurred(), "the hub did not wait for the whole sync");
        await().atMost(Duration.ofSeconds(60)).until(sync::isDone);
        long kept = query("SELECT COUNT(*) FROM backups");
        assertTrue(kept >= 2 && kept < CLOUD66_BACKUPS, "cut off part way: " + kept);
        assertEquals(0, query("SELECT COUNT(*) FROM backups b WHERE b.status = 'completed' "
                + "AND NOT EXISTS (SELECT 1 FROM records r WHERE r.backup_id = b.id)"), "every backup kept has its records");
        assertEquals(0, query("SELECT COUNT(*) FROM sync_runs WHERE outcome = 'succeeded'"), "no sync claims success");

        providers.cloud66.clearFaults();
        try (TestHub again = providers.hubOn(dataDir).start()) {
            SyncRun resumed = again.sync("cloud66");
            assertTrue(resumed.succeeded(), resumed.error());
            assertEquals(CLOUD66_BACKUPS - kept, resumed.newCount(), "the next sync adds exactly what was missing");
        }
    }
}
