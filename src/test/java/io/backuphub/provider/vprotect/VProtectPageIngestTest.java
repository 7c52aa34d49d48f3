package io.backuphub.provider.vprotect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.demo.vprotect.VProtectSimulator;
import io.backuphub.provider.SyncRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vProtect's backups listed with their details a page at a time, and the manifests copied from the catalog. */
class VProtectPageIngestTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void aPageWithANewAChangedAnUnchangedAndARejectedBackupIsReadInOneRequestAndIngestedTogether() throws Exception {
        try (VProtectSimulator vprotect = new VProtectSimulator("hub", "secret").start()) {
            vprotect.addProtectedEntity("vm-1", "web-1", "VM");
            vprotect.addBackup("vm-1", "b-1", "SUCCESS", "FULL", START, 1_000);
            vprotect.addBackup("vm-1", "b-2", "SUCCESS", "INCREMENTAL", START.plusSeconds(60), 2_000);
            try (TestHub hub = hub(vprotect)) {
                assertEquals(2, hub.sync("vprotect").newCount());
                hub.catalog().deleteCursor("vprotect", VProtectCursor.SCOPE);

                vprotect.backup("b-1").setSize(1_500);
                vprotect.addBackup("vm-1", "b-3", "SUCCESS", "FULL", START.plusSeconds(120), 3_000);
                vprotect.addRawBackupJson("{\"guid\": \"b-bad\", \"snapshotTime\": " + START.plusSeconds(90).toEpochMilli()
                        + ", \"status\": {\"name\": \"SUCCESS\"}, \"type\": {\"name\": \"FULL\"}, "
                        + "\"protectedEntity\": {\"guid\": \"vm-1\", \"type\": {\"name\": \"VM\"}}}");
                vprotect.resetRequestCounts();

                SyncRun run = hub.sync("vprotect");

                assertEquals(4, run.seenCount());
                assertEquals(1, run.newCount());
                assertEquals(1, run.updatedCount());
                assertEquals(1, run.rejectedCount());
                assertEquals(1, vprotect.requestCount("GET", "/api/backups/detailed$"), "one page, one request");
                assertEquals(0, vprotect.requestCount("GET", "/api/backups/b-.*"), "no detail call per backup");
                assertEquals(3, hub.count("SELECT COUNT(*) FROM backups"));
                assertEquals(1_500, hub.count("SELECT size_bytes FROM backups WHERE provider_backup_id = 'b-1'"));
                assertEquals(1, hub.count("SELECT COUNT(*) FROM ingest_rejects WHERE provider_item_id = 'b-bad'"));
            }
        }
    }

    @Test
    void theManifestIsCopiedFromTheCatalogWithoutAVProtectRequest() throws Exception {
        try (VProtectSimulator vprotect = new VProtectSimulator("hub", "secret").start()) {
            vprotect.addProtectedEntity("vm-1", "web-1", "VM");
            for (int i = 0; i < 5; i++) {
                vprotect.addBackup("vm-1", "b-" + i, "SUCCESS", "FULL", START.plusSeconds(60L * i), 1_000 + i);
            }
            try (TestHub hub = hub(vprotect)) {
                assertEquals(5, hub.sync("vprotect").newCount());
                assertEquals(5, hub.count("SELECT COUNT(*) FROM copies"), "the page's manifests queued at ingest");
                vprotect.resetRequestCounts();

                hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);

                assertEquals(5, hub.count("SELECT COUNT(*) FROM copies WHERE status = 'stored'"));
                assertEquals(0, vprotect.requestCount(".*"), "the copies asked nothing of vProtect");
                try (Stream<Path> files = Files.walk(dataDir.resolve("storage"))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        JsonNode manifest = new ObjectMapper().readTree(file.toFile());
                        String guid = manifest.path("guid").asText();
                        assertEquals("backup-" + guid + ".json", file.getFileName().toString());
                        assertTrue(manifest.has("backupFiles"), "the details as GET /backups/{guid} gives them");
                    }
                }
            }
        }
    }

    private TestHub hub(VProtectSimulator vprotect) {
        return TestHub.on(dataDir).vprotect(vprotect.baseUrl(), "hub", "secret").start();
    }
}
