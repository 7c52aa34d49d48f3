package io.backuphub.fanout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.backuphub.TestHub;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.cloud66.SimFile;
import org.apache.camel.spi.ShutdownStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping the hub (what SIGTERM does through Camel Main) while a copy streams from a slow Cloud66 storage
 * host to a file target: the copy in flight finishes within camel.main.shutdown-timeout or is rolled back,
 * the copies not started are given back, and nothing half-written is left under a final name.
 */
class CopyShutdownTest {

    /** Every Cloud66 backup file is this big and served at {@link #RATE}: one copy takes about 4 s. */
    private static final int FILE_SIZE = 400_000;
    private static final long RATE = 100_000;

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();
    private Path storage;

    @BeforeEach
    void slowStorageHost() {
        storage = dataDir.resolve("storage");
        cloud66BackupIds().forEach(id -> providers.cloud66.setFiles(id,
                List.of(new SimFile("tar", "dump-" + id + ".tar", FILE_SIZE))));
        providers.cloud66.setDownloadRate(RATE);
    }

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    private static LongStream cloud66BackupIds() {
        return LongStream.concat(LongStream.concat(LongStream.rangeClosed(1, 20), LongStream.rangeClosed(101, 110)),
                LongStream.rangeClosed(201, 215));
    }

    /** A hub on this data directory; another node name than the stopped one, so claims are seen as left. */
    private TestHub.Builder hub(String node, int shutdownTimeoutSeconds) {
        return providers.hubOn(dataDir)
                .with("hub.storage.targets", "file:" + storage)
                .with("hub.cloud66.download-hosts", "127.0.0.1")
                .with("hub.node-name", node)
                .with("camel.main.shutdown-timeout", Integer.toString(shutdownTimeoutSeconds));
    }

    /** Starts a fan-out run in the background and waits until the first copy is streaming into its part file. */
    private static CompletableFuture<Void> copyingStarted(TestHub hub, Path storage) {
        CompletableFuture<Void> run = CompletableFuture.runAsync(() -> Fanout.run(hub));
        await().atMost(Duration.ofSeconds(30)).until(() -> partFiles(storage).stream().anyMatch(p -> size(p) > 0));
        return run;
    }

    @Test
    void aCopyLongerThanTheShutdownTimeoutIsRolledBackAndEveryClaimIsGivenBack() throws Exception {
        TestHub hub = hub("node-a", 1).start();
        hub.sync("cloud66");
        long queued = hub.count("SELECT COUNT(*) FROM copies");
        assertTrue(queued > 10, "copies queued: " + queued);
        ShutdownStrategy shutdown = hub.context().getShutdownStrategy();
        CompletableFuture<Void> run = copyingStarted(hub, storage);

        long stopping = System.nanoTime();
        hub.close();
        Duration took = Duration.ofNanos(System.nanoTime() - stopping);

        assertTrue(shutdown.hasTimeoutOccurred(), "the copy could not finish in time");
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "stopped promptly, not after the download: " + took);
        await().atMost(Duration.ofSeconds(30)).until(run::isDone);
        assertEquals(List.of(), partFiles(storage), "no part file is left");
        assertEquals(List.of(), finalFiles(storage), "nothing under a final name: no copy was complete");

        try (TestHub again = hub("node-b", 30).start()) {
            List<Map<String, Object>> copies = again.rows("SELECT status, claimed_by, attempts FROM copies");
            assertEquals(queued, copies.size());
            for (Map<String, Object> copy : copies) {
                assertEquals("pending", copy.get("status"), "a stop is not a failure: " + copy);
                assertEquals(null, copy.get("claimed_by"), "no claim is left behind: " + copy);
            }
        }
    }

    @Test
    void aCopyInFlightFinishesWithinTheShutdownTimeoutAndTheRestAreGivenBack() throws Exception {
        // one copy at a time, so exactly one is in flight when the hub stops
        TestHub hub = hub("node-a", 30).with("hub.fanout.copy-threads", "1").start();
        hub.sync("cloud66");
        long queued = hub.count("SELECT COUNT(*) FROM copies");
        ShutdownStrategy shutdown = hub.context().getShutdownStrategy();
        CompletableFuture<Void> run = copyingStarted(hub, storage);

        hub.close();

        assertFalse(shutdown.hasTimeoutOccurred(), "the copy in flight finished in time");
        await().atMost(Duration.ofSeconds(30)).until(run::isDone);
        assertEquals(List.of(), partFiles(storage), "no part file is left");
        List<Path> stored = finalFiles(storage);
        assertEquals(1, stored.size(), "the copy in flight was finished, no other was started: " + stored);

        try (TestHub again = hub("node-b", 30).start()) {
            Map<String, Object> done = again.rows("SELECT storage_key, sha256, size_bytes, claimed_by FROM copies "
                    + "WHERE status = 'stored'").get(0);
            assertEquals(storage.resolve((String) done.get("storage_key")), stored.get(0));
            assertEquals(done.get("sha256"), Fanout.sha256(stored.get(0)), "verified under its final name");
            assertEquals((long) FILE_SIZE, ((Number) done.get("size_bytes")).longValue());
            assertEquals(queued - 1, again.count("SELECT COUNT(*) FROM copies WHERE status = 'pending' "
                    + "AND claimed_by IS NULL"), "the copies not started are given back, none is a dead letter");
        }
    }

    private static List<Path> partFiles(Path storage) {
        return files(storage).filter(p -> p.getFileName().toString().contains(".part-")).toList();
    }

    private static List<Path> finalFiles(Path storage) {
        return files(storage).filter(p -> !p.getFileName().toString().contains(".part-")).toList();
    }

    private static Stream<Path> files(Path storage) {
        if (!Files.isDirectory(storage)) {
            return Stream.empty();
        }
        try (Stream<Path> all = Files.walk(storage)) {
            return all.filter(Files::isRegularFile).toList().stream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
