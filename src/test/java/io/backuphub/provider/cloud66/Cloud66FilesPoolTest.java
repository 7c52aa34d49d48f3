package io.backuphub.provider.cloud66;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.backuphub.TestHub;
import io.backuphub.demo.Fault;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files of a listing page's new backups are read a few at a time: hub.cloud66.files-threads, never more. */
class Cloud66FilesPoolTest {

    private static final int BACKUPS = 8;
    private static final long SLOW_MS = 400;

    @TempDir
    Path dataDir;

    @Test
    void theFilesOfNewBackupsAreReadTwoAtATimeWhenFilesThreadsIsTwo() {
        try (Cloud66Simulator cloud66 = new Cloud66Simulator("token").start()) {
            cloud66.addStack("stk-many", "Many");
            for (int id = 1; id <= BACKUPS; id++) {
                cloud66.addBackup("stk-many", id, "postgresql", "db" + id,
                        Instant.parse("2026-11-01T03:00:00Z").plusSeconds(id), 0, 1024);
            }
            cloud66.failAlways("/files$", Fault.delay(Duration.ofMillis(SLOW_MS)));
            try (TestHub hub = TestHub.on(dataDir).cloud66(cloud66.baseUrl(), "token")
                    .with("hub.cloud66.files-threads", "2").start()) {
                hub.sync("cloud66");

                List<Long> arrivals = cloud66.requestTimes("/files$");
                assertEquals(BACKUPS, arrivals.size(), "one files call per new backup");
                // each call takes SLOW_MS: the calls that arrive within most of that time of one another ran together
                int mostTogether = 0;
                for (long from : arrivals) {
                    int together = (int) arrivals.stream().filter(t -> t >= from && t < from + SLOW_MS * 3 / 4).count();
                    mostTogether = Math.max(mostTogether, together);
                }
                assertEquals(2, mostTogether, "two calls at once, never more: " + arrivals);
                assertEquals(BACKUPS, hub.rows("SELECT id FROM backups").size());
                assertTrue(arrivals.get(BACKUPS - 1) - arrivals.get(0) >= (BACKUPS / 2 - 1) * SLOW_MS * 3 / 4,
                        "four rounds of two: " + arrivals);
            }
        }
    }
}
