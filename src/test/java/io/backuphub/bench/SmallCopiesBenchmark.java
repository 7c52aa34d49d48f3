package io.backuphub.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.backuphub.TestHub;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import io.backuphub.demo.vprotect.VProtectSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How fast the fan-out catches up with a large first sync (not part of the suite: run it by name):
 * {@code bench.small.copies} vProtect backups (10,000 by default), each with its manifest record of about 1 KB,
 * synced, then copied to a {@code file:} target by one copy run. Prints the copies a second and what 100,000 would
 * take, beside the target (100,000 in five minutes). {@code bench.small.jfr=<file>} records the copy run with JFR.
 *
 * <pre>mvn -o -q test -Dtest=SmallCopiesBenchmark -Dbench.small.copies=10000</pre>
 */
class SmallCopiesBenchmark {

    /** The target: 100,000 copies within five minutes of the ingest. */
    private static final int TARGET_PER_SECOND = 100_000 / 300;

    private final int backups = Integer.getInteger("bench.small.copies", 10_000);
    private final String threads = System.getProperty("bench.small.copy-threads", "4");

    @TempDir
    Path dataDir;

    @Test
    void theCopiesOfAFirstSyncAreStoredWithinMinutes() throws Exception {
        try (VProtectSimulator vprotect = new VProtectSimulator("hub", "s3cret").start()) {
            Instant first = Instant.parse("2026-01-01T00:00:00Z");
            for (int e = 0; e < 10; e++) {
                vprotect.addProtectedEntity("vm-" + e, "vm-" + e, "VM");
            }
            for (int i = 0; i < backups; i++) {
                vprotect.addBackup("vm-" + (i % 10), String.format("00000000-0000-4000-8000-%012d", i), "SUCCESS", "FULL",
                        first.plus(i, ChronoUnit.MINUTES), 1_000_000L + i);
            }
            Path storage = dataDir.resolve("storage");
            try (TestHub hub = TestHub.on(dataDir).vprotect(vprotect.baseUrl(), "hub", "s3cret")
                    .with("hub.vprotect.page-size", "1000")
                    .with("hub.storage.targets", "file:" + storage)
                    .with("hub.fanout.copy-threads", threads)
                    .start()) {
                long t0 = System.nanoTime();
                hub.sync("vprotect");
                double sync = (System.nanoTime() - t0) / 1e9;
                long queued = hub.count("SELECT COUNT(*) FROM copies");
                String jfr = System.getProperty("bench.small.jfr", "");
                Recording recording = jfr.isEmpty() ? null : new Recording(Configuration.getConfiguration("profile"));
                if (recording != null) {
                    recording.start();
                }
                long t1 = System.nanoTime();
                hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
                double copy = (System.nanoTime() - t1) / 1e9;
                if (recording != null) {
                    recording.dump(Path.of(jfr));
                    recording.close();
                }
                long stored = hub.count("SELECT COUNT(*) FROM copies WHERE status = 'stored'");
                long bytes = hub.count("SELECT COALESCE(SUM(size_bytes), 0) FROM copies WHERE status = 'stored'");
                String table = String.format("""

                        %d vProtect backups: sync %.1f s (%.0f/s); %d copies queued, %d stored by one copy run in %.1f s \
                        (%.0f copies/s, %d threads, %.0f bytes each); 100,000 would take %.1f min
                        BENCH|small_copies_per_s|%.0f|%d|copies/s|%.2f
                        """, backups, sync, backups / sync, queued, stored, copy, stored / copy, Integer.parseInt(threads),
                        bytes / (double) Math.max(1, stored), 100_000 / (stored / copy) / 60, stored / copy, TARGET_PER_SECOND,
                        stored / copy / TARGET_PER_SECOND);
                System.out.print(table);
                System.err.print(table);
                Files.writeString(Path.of("target", "bench-small-copies.txt"), table);
                assertEquals(queued, stored, "every queued copy stored by one run");
            }
        }
    }
}
