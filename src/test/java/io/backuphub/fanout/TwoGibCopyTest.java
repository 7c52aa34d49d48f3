package io.backuphub.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import io.backuphub.TestHub;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2 GiB Cloud66 file is copied to a file target by the real hub in a JVM with a 256 MiB heap: it only
 * passes if the copy streams end to end. Runs in its own surefire execution (tag {@code heap-limited}).
 */
@Tag("heap-limited")
class TwoGibCopyTest {

    private static final long TWO_GIB = 2L * 1024 * 1024 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void aTwoGibFileIsCopiedWithAFlatHeap() throws IOException {
        assertTrue(Runtime.getRuntime().maxMemory() <= 256L * 1024 * 1024,
                "this test must run with -Xmx256m, not " + Runtime.getRuntime().maxMemory());
        Path storage = dataDir.resolve("storage");
        try (Cloud66Simulator cloud66 = new Cloud66Simulator("token").start()) {
            cloud66.addStack("stk-big", "Warehouse");
            cloud66.addBackup("stk-big", 1, "postgresql", "warehouse", Instant.parse("2026-11-01T03:00:00Z"), 0, TWO_GIB);
            try (TestHub hub = TestHub.on(dataDir).cloud66(cloud66.baseUrl(), "token")
                    .with("hub.storage.targets", "file:" + storage)
                    .with("hub.cloud66.download-hosts", "127.0.0.1").start()) {
                hub.sync("cloud66");
                Fanout.run(hub);

                Map<String, Object> copy = hub.rows("SELECT status, sha256, size_bytes, storage_key, last_error FROM copies").get(0);
                assertEquals("stored", copy.get("status"), String.valueOf(copy.get("last_error")));
                assertEquals(TWO_GIB, ((Number) copy.get("size_bytes")).longValue());
                String expected = Fanout.sha256(Cloud66Simulator.fileContent(1, "tar", TWO_GIB));
                assertEquals(expected, copy.get("sha256"));
                Path file = storage.resolve((String) copy.get("storage_key"));
                assertEquals(TWO_GIB, Files.size(file));
                assertEquals(expected, Fanout.sha256(file));
            }
        }
    }
}
