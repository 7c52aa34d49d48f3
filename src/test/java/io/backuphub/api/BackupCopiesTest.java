package io.backuphub.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backup in the v1 API lists where the hub keeps it: its copies from the fan-out, per record and target. */
class BackupCopiesTest {

    @TempDir
    Path dataDir;

    @Test
    void aBackupListsEachCopyWithTargetStatusTheRecordsHashAndWhenItWasStored() {
        String target = "file:" + dataDir.resolve("storage");
        try (ApiFixture f = new ApiFixture(dataDir, Map.of("hub.storage.targets", target,
                "hub.cloud66.download-hosts", "127.0.0.1"))) {
            long shopDb = f.shopDb();
            long backup3 = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '3'");
            String path = "/v1/backup_instances/" + shopDb + "/backups/" + backup3;

            JsonNode queued = f.get(path, ACME).json().get("copies");
            assertEquals(2, queued.size(), "its two files, queued for the one target: " + queued);
            for (JsonNode copy : queued) {
                assertEquals("pending", copy.get("status").asText());
                assertTrue(copy.get("sha256").isNull() && copy.get("stored_at").isNull(), copy.toString());
            }

            f.hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);

            ApiFixture.Reply reply = f.get(path, ACME);
            assertEquals(200, reply.status(), reply.body());
            Contract.assertBackup(reply.json());
            JsonNode copies = reply.json().get("copies");
            assertEquals(2, copies.size(), copies.toString());
            for (JsonNode copy : copies) {
                assertEquals(target, copy.get("target").asText());
                assertEquals("stored", copy.get("status").asText());
                long record = copy.get("record_id").asLong();
                Map<String, Object> row = f.hub.rows("SELECT name, sha256, size_bytes FROM records WHERE id = " + record).get(0);
                assertEquals(row.get("sha256"), copy.get("sha256").asText(), "the hash of the record it copies");
                assertEquals(row.get("name"), copy.get("record_name").asText());
                assertEquals(((Number) row.get("size_bytes")).longValue(), copy.get("size_bytes").asLong());
                assertTrue(copy.get("stored_at").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z"),
                        copy.toString());
            }
            // the record's own sha256 in the API is the one its copies carry
            JsonNode records = f.get("/v1/backup_instances/" + shopDb + "/endpoints/files/records?per_page=100", ACME).json();
            for (JsonNode copy : copies) {
                boolean same = false;
                for (JsonNode record : records) {
                    same |= record.get("id").asLong() == copy.get("record_id").asLong()
                            && record.get("sha256").asText().equals(copy.get("sha256").asText());
                }
                assertTrue(same, "record " + copy.get("record_id") + " shows the same hash");
            }
        }
    }

    @Test
    void everyBackupOfAPageAndTheActiveOneListTheirCopies() {
        String target = "file:" + dataDir.resolve("storage");
        try (ApiFixture f = new ApiFixture(dataDir, Map.of("hub.storage.targets", target,
                "hub.cloud66.download-hosts", "127.0.0.1"))) {
            f.hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
            long shopDb = f.shopDb();

            ApiFixture.Reply page = f.get("/v1/backup_instances/" + shopDb + "/backups?per_page=100", ACME);
            assertEquals(200, page.status(), page.body());
            int withCopies = 0;
            for (JsonNode backup : page.json()) {
                long expected = f.hub.count("SELECT COUNT(*) FROM copies WHERE backup_id = " + backup.get("id").asLong());
                assertEquals(expected, backup.get("copies").size(), "backup " + backup.get("id"));
                for (JsonNode copy : backup.get("copies")) {
                    assertEquals("stored", copy.get("status").asText(), copy.toString());
                }
                withCopies += backup.get("copies").isEmpty() ? 0 : 1;
            }
            assertEquals(f.hub.count("SELECT COUNT(*) FROM backups WHERE backup_instance_id = " + shopDb
                    + " AND status = 'completed'"), withCopies, "every completed backup is copied, a failed one is not");

            // vProtect's running backup is not copied yet: its copies[] is there and empty
            ApiFixture.Reply active = f.get("/v1/backup_instances/" + f.instanceId("db-01") + "/backups/active",
                    ApiFixture.GLOBEX);
            assertEquals(200, active.status(), active.body());
            assertEquals(List.of(), List.copyOf(active.json().get("copies").findValues("status")));
        }
    }
}
