package io.backuphub.fanout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.fanout.storage.DeadLetter;
import io.backuphub.fanout.storage.DeadLetters;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.cloud66.SimFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real hub copies every record of every completed backup from the provider simulators to a file
 * target and to a real S3 server (S3Proxy) in the test JVM.
 */
class FanoutStorageTest {

    private static final String BUCKET = "backups";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    private TestHub.Builder hub(S3Server s3, Path storage) {
        return s3.configure(providers.hubOn(dataDir))
                .with("hub.storage.targets", "file:" + storage + ",s3://" + BUCKET + "/hub")
                .with("hub.cloud66.download-hosts", "127.0.0.1");
    }

    @Test
    void everyRecordIsStoredOnceInEachTargetWithTheRightHash() throws Exception {
        Path storage = dataDir.resolve("storage");
        try (S3Server s3 = new S3Server(); TestHub hub = hub(s3, storage).start()) {
            s3.createBucket(BUCKET);
            hub.sync("cloud66");
            hub.sync("vprotect");
            Fanout.run(hub);

            List<Map<String, Object>> copies = hub.rows("SELECT x.target, x.storage_key, x.status, x.sha256, x.size_bytes, "
                    + "r.sha256 AS record_sha256, r.provider_record_id, r.endpoint_name, b.provider, b.provider_backup_id "
                    + "FROM copies x JOIN records r ON r.id = x.record_id JOIN backups b ON b.id = x.backup_id");
            long copyable = hub.count("SELECT COUNT(*) FROM records r JOIN backups b ON b.id = r.backup_id "
                    + "WHERE b.status IN ('completed', 'partial') AND ((b.provider = 'cloud66' AND r.endpoint_name = 'files') "
                    + "OR (b.provider = 'vprotect' AND r.endpoint_name = 'manifest'))");
            assertEquals(2 * copyable, copies.size(), "one copy per record and target");
            assertTrue(copyable > 80, "both providers' records are copied: " + copyable);

            for (Map<String, Object> copy : copies) {
                assertEquals("stored", copy.get("status"), copy.toString());
                assertEquals(copy.get("sha256"), copy.get("record_sha256"), "the record carries its hash");
                String key = (String) copy.get("storage_key");
                byte[] content = ((String) copy.get("target")).startsWith("file:")
                        ? Files.readAllBytes(storage.resolve(key)) : s3.read(BUCKET, "hub/" + key);
                assertEquals(copy.get("sha256"), Fanout.sha256(content), key);
                assertEquals(((Number) copy.get("size_bytes")).longValue(), content.length, key);
                if ("cloud66".equals(copy.get("provider"))) {
                    assertEquals(Fanout.cloud66Hash(providers.cloud66, Long.parseLong((String) copy.get("provider_backup_id")),
                            (String) copy.get("provider_record_id")), copy.get("sha256"), "the bytes Cloud66 serves");
                } else {
                    assertEquals(copy.get("provider_backup_id"), JSON.readTree(content).path("guid").asText(),
                            "the manifest is the backup's details");
                }
                if (((String) copy.get("target")).startsWith("s3:")) {
                    assertEquals(1, s3.writesOf("hub/" + key), "written once: " + key);
                    assertEquals(copy.get("sha256"), s3.metadata(BUCKET, "hub/" + key).get("hub-sha256"));
                }
            }
            assertEquals(copyable, s3.keys(BUCKET).size(), "no temporary objects left: " + s3.keys(BUCKET));
            try (var files = Files.walk(storage)) {
                assertEquals(copyable, files.filter(Files::isRegularFile).count(), "no part files left");
            }

            // a second run finds nothing to do: nothing is uploaded twice
            Fanout.run(hub);
            for (Map<String, Object> copy : copies) {
                if (((String) copy.get("target")).startsWith("s3:")) {
                    assertEquals(1, s3.writesOf("hub/" + copy.get("storage_key")));
                }
            }
            assertFalse(hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'") > 0);
        }
    }

    @Test
    void aBackupWhoseCopiesEndInSeveralBatchesRaisesBackupStoredOnceWithEveryCopyStored() throws Exception {
        Path storage = dataDir.resolve("storage");
        try (S3Server s3 = new S3Server(); TestHub hub = hub(s3, storage).with("hub.fanout.batch-size", "3").start()) {
            s3.createBucket(BUCKET);
            hub.sync("cloud66");
            Fanout.run(hub);

            assertEquals(0, hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'"), "every copy stored");
            assertTrue(hub.count("SELECT COUNT(*) FROM copies") > 3 * 3, "copies of one run span several batches");
            List<Map<String, Object>> events = hub.rows("SELECT event_key, payload FROM notifications "
                    + "WHERE event = 'backup.stored' ORDER BY event_key");
            assertEquals(hub.count("SELECT COUNT(DISTINCT backup_id) FROM copies"), events.size(),
                    "one backup.stored per backup");
            for (Map<String, Object> event : events) {
                var payload = JSON.readTree((String) event.get("payload"));
                long backupId = payload.path("backup_id").asLong();
                assertEquals("backup.stored:" + backupId, event.get("event_key"));
                assertEquals(hub.count("SELECT COUNT(*) FROM copies WHERE backup_id = " + backupId),
                        payload.path("copies").size(), "the event lists every copy of its backup: " + payload);
                payload.path("copies").forEach(copy -> assertEquals("stored", copy.path("status").asText(),
                        "raised once every copy was stored: " + payload));
            }

            Fanout.run(hub); // nothing left to copy: no event twice
            assertEquals(events.size(), hub.count("SELECT COUNT(*) FROM notifications WHERE event = 'backup.stored'"));
        }
    }

    @Test
    void aTargetThatFailsTwiceThenRecoversEndsWithEveryCopyStoredAndNoneTwice() {
        // one copy at a time, so the two failures fall on the same copy
        try (S3Server s3 = new S3Server(); TestHub hub = hub(s3, dataDir.resolve("storage"))
                .with("hub.fanout.max-redeliveries", "3").with("hub.fanout.copy-threads", "1").start()) {
            s3.createBucket(BUCKET);
            hub.sync("cloud66");
            s3.failNextWrites(2);
            Fanout.run(hub);

            assertEquals(2, s3.failedWrites(), "the outage happened");
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'"));
            assertEquals(3L, hub.count("SELECT MAX(attempts) FROM copies"), "two failures, then the copy went through");
            for (Map<String, Object> copy : hub.rows("SELECT storage_key FROM copies WHERE target LIKE 's3:%'")) {
                assertEquals(1, s3.writesOf("hub/" + copy.get("storage_key")), "stored once: " + copy);
            }
            assertEquals(hub.count("SELECT COUNT(*) FROM copies WHERE target LIKE 's3:%'"), s3.keys(BUCKET).size(),
                    "no temporary objects left");
            assertEquals(0, hub.context().getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class).count());
        }
    }

    @Test
    void aCopyThatKeepsFailingBecomesADeadLetterWithItsReasonAndIsStoredOnReplay() {
        try (S3Server s3 = new S3Server(); TestHub hub = hub(s3, dataDir.resolve("storage"))
                .with("hub.fanout.max-redeliveries", "1").start()) {
            hub.sync("cloud66");
            Fanout.run(hub); // the bucket does not exist yet: every S3 copy fails

            DeadLetters deadLetters = hub.context().getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
            List<DeadLetter> dead = deadLetters.list();
            long s3Copies = hub.count("SELECT COUNT(*) FROM copies WHERE target LIKE 's3:%'");
            assertEquals(s3Copies, dead.size());
            assertTrue(dead.stream().allMatch(d -> d.target().equals("s3://" + BUCKET + "/hub") && d.attempts() == 2
                    && !d.reason().isBlank() && !d.reason().contains("Signature")), dead.get(0).toString());
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM copies WHERE target LIKE 'file:%' AND status <> 'stored'"),
                    "the other target is not held up");

            Fanout.run(hub); // still failing: retried on the next schedule, still dead
            assertEquals(4, deadLetters.list().get(0).attempts());

            s3.createBucket(BUCKET);
            assertEquals(s3Copies, deadLetters.replay());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'") == 0);
            assertEquals(0, deadLetters.count());
            for (Map<String, Object> copy : hub.rows("SELECT storage_key FROM copies WHERE target LIKE 's3:%'")) {
                assertEquals(1, s3.writesOf("hub/" + copy.get("storage_key")), "stored once: " + copy);
            }
        }
    }

    @Test
    void aHostileFileNameStaysInsideItsFolder() throws Exception {
        Path storage = dataDir.resolve("storage");
        providers.cloud66.setFiles(5, List.of(new SimFile("tar",
                "..\\..\\.ssh\u0000\u0007evil\r\n..%2F..%2Fpasswd", 777)));
        try (S3Server s3 = new S3Server(); TestHub hub = hub(s3, storage).start()) {
            s3.createBucket(BUCKET);
            hub.sync("cloud66");
            Fanout.run(hub);

            Map<String, Object> copy = hub.rows("SELECT x.storage_key, x.sha256, x.status, x.backup_id, b.backup_instance_id "
                    + "FROM copies x JOIN backups b ON b.id = x.backup_id WHERE b.provider_backup_id = '5' "
                    + "AND x.target LIKE 'file:%'").get(0);
            assertEquals("stored", copy.get("status"));
            Path folder = storage.resolve("default").resolve(String.valueOf(copy.get("backup_instance_id")))
                    .resolve(String.valueOf(copy.get("backup_id")));
            Path file = storage.resolve((String) copy.get("storage_key"));
            assertEquals(folder, file.getParent(), "the record is a file directly in its backup's folder");
            assertTrue(file.normalize().startsWith(folder));
            assertFalse(file.getFileName().toString().chars().anyMatch(c -> c < 0x20 || c == '/' || c == '\\'));
            assertEquals(Fanout.cloud66Hash(providers.cloud66, 5, "tar"), Fanout.sha256(file));
            try (var all = Files.walk(dataDir)) {
                assertTrue(all.filter(Files::isRegularFile).allMatch(p -> p.startsWith(storage)
                        || p.getFileName().toString().startsWith("catalog")), "nothing written outside the target");
            }
            assertTrue(s3.keys(BUCKET).contains("hub/" + copy.get("storage_key")));
        }
    }

    @Test
    void aPublicUrlToAHostNotAllowedIsRefusedAndItsSignatureIsNeverKept() {
        try (S3Server s3 = new S3Server(); TestHub hub = hub(s3, dataDir.resolve("storage"))
                .with("hub.cloud66.download-hosts", "*.s3.amazonaws.com").start()) {
            hub.sync("cloud66");
            Fanout.run(hub);

            List<Map<String, Object>> copies = hub.rows("SELECT status, attempts, last_error FROM copies");
            assertFalse(copies.isEmpty());
            for (Map<String, Object> copy : copies) {
                assertEquals("dead", copy.get("status"));
                assertEquals(1, ((Number) copy.get("attempts")).intValue(), "a refusal is not retried");
                assertEquals("public_url host '127.0.0.1' is not in hub.cloud66.download-hosts", copy.get("last_error"));
            }
            assertEquals(0, providers.cloud66.requestCount("GET", "^/storage/"), "nothing was downloaded");
        }
    }

    @Test
    void aCopyACrashInterruptedIsFinishedOnRestartAndLeavesNoHalfFile() throws Exception {
        Path storage = dataDir.resolve("storage");
        String key;
        try (S3Server s3 = new S3Server()) {
            TestHub.Builder builder = hub(s3, storage).with("hub.storage.targets", "file:" + storage)
                    .with("hub.node-name", "node-a");
            try (TestHub hub = builder.start()) {
                hub.sync("cloud66");
                // a node claimed the copies and died mid-write: a lease that has not run out, a half file
                try (var c = hub.catalog().dataSource().getConnection(); var s = c.createStatement()) {
                    s.executeUpdate("UPDATE copies SET claimed_by = 'node-a', claimed_until = DATEADD('HOUR', 1, CURRENT_TIMESTAMP)");
                }
                key = (String) hub.rows("SELECT storage_key FROM copies ORDER BY id").get(0).get("storage_key");
                Path half = storage.resolve(key + ".part-0d1e");
                Files.createDirectories(half.getParent());
                Files.write(half, new byte[] {1, 2, 3});
                Fanout.run(hub);
                assertEquals(0L, hub.count("SELECT COUNT(*) FROM copies WHERE status = 'stored'"),
                        "another claim is respected while its lease runs");
            }
            try (TestHub hub = builder.start()) {
                Fanout.run(hub);
                assertEquals(0L, hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'"));
                assertTrue(Files.isRegularFile(storage.resolve(key)));
                try (var files = Files.walk(storage)) {
                    assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".part-")), "no half file");
                }
            }
        }
    }

    @Test
    void anS3CopyClaimedAgainAfterANodeDiedMidUploadLeavesNoUnfinishedUploadOrTemporaryObject() throws Exception {
        try (S3Server s3 = new S3Server(); TestHub hub = hub(s3, dataDir.resolve("storage"))
                .with("hub.storage.targets", "s3://" + BUCKET + "/hub").start()) {
            s3.createBucket(BUCKET);
            hub.sync("cloud66");
            // a node claimed the copies and was killed: its lease ran out, one upload unfinished, one temporary
            // object not removed, and an unrelated upload beside them under another name
            try (var c = hub.catalog().dataSource().getConnection(); var s = c.createStatement()) {
                s.executeUpdate("UPDATE copies SET claims = 1, claimed_by = 'node-dead', "
                        + "claimed_until = DATEADD('SECOND', -1, CURRENT_TIMESTAMP)");
            }
            List<Map<String, Object>> keys = hub.rows("SELECT storage_key FROM copies ORDER BY id");
            String first = "hub/" + keys.get(0).get("storage_key");
            String second = "hub/" + keys.get(1).get("storage_key");
            var client = s3.client();
            String unfinished = client.createMultipartUpload(b -> b.bucket(BUCKET).key(first + ".part-dead")).uploadId();
            client.uploadPart(b -> b.bucket(BUCKET).key(first + ".part-dead").uploadId(unfinished).partNumber(1),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[] {1, 2, 3}));
            client.putObject(b -> b.bucket(BUCKET).key(second + ".part-left"),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[] {4, 5}));
            String unrelated = client.createMultipartUpload(b -> b.bucket(BUCKET).key("other/upload")).uploadId();

            Fanout.run(hub);

            assertEquals(0L, hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'"));
            assertEquals(hub.rows("SELECT storage_key FROM copies").stream().map(k -> "hub/" + k.get("storage_key"))
                    .sorted().toList(), s3.keys(BUCKET).stream().filter(k -> k.startsWith("hub/")).toList(),
                    "each copy under its final key, nothing else");
            assertEquals(List.of(unrelated), client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream()
                    .map(u -> u.uploadId()).toList(), "the unfinished upload of the copy is aborted, no other");
            assertEquals(2L, hub.count("SELECT MIN(claims) FROM copies"));
        }
    }
}
