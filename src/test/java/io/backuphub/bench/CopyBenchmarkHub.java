package io.backuphub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.backuphub.TestHub;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.demo.cloud66.SimFile;
import io.backuphub.provider.SyncRun;

/**
 * The hub's side of {@link CopyBenchmark}, in its own JVM (started with the heap under test): a Cloud66 API
 * (the simulator, reached through nginx, which points every file's signed {@code public_url} at itself) lists
 * one backup with the benchmark's files; the real hub syncs it and runs the fan-out's copy run to a
 * {@code file:} target. Prints {@code HUB|key|value} lines for the parent.
 *
 * <p>Arguments: simulator port, API base URL (through nginx), data folder, storage folder, then the files as
 * {@code name:size} pairs.
 */
public final class CopyBenchmarkHub {

    private CopyBenchmarkHub() {
    }

    public static void main(String[] args) throws Exception {
        int simulatorPort = Integer.parseInt(args[0]);
        String apiUrl = args[1];
        Path dataDir = Path.of(args[2]);
        Path storage = Path.of(args[3]);
        List<SimFile> files = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            String[] nameSize = args[i].split(":");
            files.add(new SimFile("f" + (i - 3), nameSize[0], Long.parseLong(nameSize[1])));
        }
        try (Cloud66Simulator cloud66 = new Cloud66Simulator("bench-token").start(simulatorPort)) {
            cloud66.addStack("stk-bench", "Bench");
            long total = files.stream().mapToLong(SimFile::sizeBytes).sum();
            cloud66.addBackup("stk-bench", 1, "postgresql", "bench", Instant.parse("2026-11-01T03:00:00Z"), 0, total);
            cloud66.setFiles(1, files);
            long startHub = System.nanoTime();
            try (TestHub hub = TestHub.on(dataDir).cloud66(apiUrl, "bench-token")
                    .with("hub.storage.targets", "file:" + storage)
                    .with("hub.cloud66.download-hosts", "127.0.0.1")
                    .with("hub.fanout.batch-size", String.valueOf(Math.max(200, files.size())))
                    .start()) {
                print("start_ms", millis(startHub));
                long startSync = System.nanoTime();
                SyncRun sync = hub.sync("cloud66");
                print("sync_ms", millis(startSync));
                print("sync", String.valueOf(sync));
                resetHeapPeaks();
                long startCopy = System.nanoTime();
                hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
                print("copy_ms", millis(startCopy));
                print("heap_peak_mib", String.valueOf(heapPeak() / (1024 * 1024)));
                print("heap_max_mib", String.valueOf(Runtime.getRuntime().maxMemory() / (1024 * 1024)));
                for (Map<String, Object> copy : hub.rows("SELECT status, sha256, size_bytes, storage_key, last_error "
                        + "FROM copies ORDER BY id")) {
                    print("copy", copy.get("status") + " " + copy.get("sha256") + " " + copy.get("size_bytes") + " "
                            + copy.get("storage_key") + (copy.get("last_error") == null ? "" : " " + copy.get("last_error")));
                }
                print("rss_peak_kib", String.valueOf(peakRssKib()));
            }
        }
        System.exit(0);
    }

    private static void print(String key, String value) {
        System.out.println("HUB|" + key + "|" + value);
        System.out.flush();
    }

    private static String millis(long startNanos) {
        return String.valueOf((System.nanoTime() - startNanos) / 1_000_000);
    }

    private static void resetHeapPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** VmHWM: the process's peak resident set (Linux), or -1. */
    private static long peakRssKib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong).findFirst().orElse(-1);
    }
}
