package io.backuphub.fanout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.provider.SimulatedProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
