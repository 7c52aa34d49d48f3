package io.backuphub.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.backuphub.TestHub;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.fanout.storage.CopiesInFlight;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A copy run copies several records at once, never more than hub.fanout.copy-threads, batch after batch. */
class CopyParallelismTest {

    private static final int BACKUPS = 12;
    private static final long SIZE = 48 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void oneRunCopiesEveryBatchWithNoMoreCopiesAtOnceThanTheBoundAndStoresEachOnce() throws IOException {
        Path storage = dataDir.resolve("storage");
        try (Cloud66Simulator cloud66 = cloud66WithBackups()) {
            // a slow storage host (a quarter of a second a file), so copies overlap when they can
            cloud66.setDownloadRate(SIZE * 4);
            try (TestHub hub = TestHub.on(dataDir).cloud66(cloud66.baseUrl(), "token")
                    .with("hub.storage.targets", "file:" + storage)
                    .with("hub.cloud66.download-hosts", "127.0.0.1")
                    .with("hub.fanout.copy-threads", "3")
                    .with("hub.fanout.batch-size", "5").start()) {
                hub.sync("cloud66");
                Fanout.run(hub);

                List<Map<String, Object>> copies = hub.rows("SELECT status, attempts, storage_key FROM copies");
                assertEquals(BACKUPS, copies.size(), "one copy of each backup's file: " + copies);
                for (Map<String, Object> copy : copies) {
                    assertEquals("stored", copy.get("status"), "one run, batches of 5, stores all 12: " + copy);
                    assertEquals(1, ((Number) copy.get("attempts")).intValue(), "stored once: " + copy);
                }
                CopiesInFlight inFlight = hub.context().getRegistry().lookupByNameAndType("copiesInFlight",
                        CopiesInFlight.class);
                assertEquals(3, inFlight.mostAtOnce(), "three copies at once, never more");
                try (Stream<Path> files = Files.walk(storage)) {
                    List<Path> stored = files.filter(Files::isRegularFile).toList();
                    assertEquals(BACKUPS, stored.size(), "each file once, no part file: " + stored);
                    assertTrue(stored.stream().allMatch(f -> size(f) == SIZE));
                }
            }
        }
    }

    @Test
    void storedCopiesAreMarkedTogetherEveryMarkEveryCopiesAndTheRestAtTheBatchEnd() {
        try (Cloud66Simulator cloud66 = cloud66WithBackups()) {
            cloud66.setDownloadRate(SIZE * 20);
            try (TestHub hub = TestHub.on(dataDir).cloud66(cloud66.baseUrl(), "token")
                    .with("hub.storage.targets", "file:" + dataDir.resolve("storage"))
                    .with("hub.cloud66.download-hosts", "127.0.0.1")
                    .with("hub.fanout.copy-threads", "1")
                    .with("hub.fanout.mark-every", "5")
                    .with("hub.fanout.mark-within-ms", "600000").start()) {
                hub.sync("cloud66");
                Fanout.run(hub);

                // one transaction per group: its copies share their stored_at; 12 copies = 5 + 5 + the 2 the batch's
                // end marks before the run returns (the 10-minute timeout never comes into it)
                List<Map<String, Object>> groups = hub.rows(
                        "SELECT stored_at, COUNT(*) AS n FROM copies WHERE status = 'stored' GROUP BY stored_at ORDER BY stored_at");
                assertEquals(List.of(5L, 5L, 2L),
                        groups.stream().map(g -> ((Number) g.get("n")).longValue()).toList(), "groups: " + groups);
            }
        }
    }

    /** A Cloud66 account with one stack of {@link #BACKUPS} backups of one {@link #SIZE}-byte file each. */
    private static Cloud66Simulator cloud66WithBackups() {
        Cloud66Simulator cloud66 = new Cloud66Simulator("token").start();
        cloud66.addStack("stk-many", "Many");
        for (int id = 1; id <= BACKUPS; id++) {
            cloud66.addBackup("stk-many", id, "postgresql", "db" + id, Instant.parse("2026-11-01T03:00:00Z").plusSeconds(id),
                    0, SIZE);
        }
        return cloud66;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
