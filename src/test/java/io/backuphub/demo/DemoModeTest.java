package io.backuphub.demo;

import java.nio.file.Path;
import java.time.Duration;

import io.backuphub.TestHub;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoModeTest {

    @TempDir
    Path dataDir;

    @Test
    void theDemoFillsTheCatalogFromBothSimulatorsOnItsScheduleAndStopsCleanly() {
        TestHub hub = TestHub.on(dataDir).demo().start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    hub.count("SELECT COUNT(*) FROM backups WHERE provider = 'cloud66'") >= 150
                            && hub.count("SELECT COUNT(*) FROM backups WHERE provider = 'vprotect'") >= 200);
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM sync_runs WHERE outcome = 'failed'"));
            assertTrue(hub.count("SELECT COUNT(*) FROM records") > 350);
        } finally {
            hub.close();
        }
        assertEquals(ServiceStatus.Stopped, hub.context().getStatus());
    }
}
