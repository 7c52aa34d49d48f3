package io.backuphub.provider.backupify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.HubProcess;
import io.backuphub.TestHub;
import io.backuphub.fanout.storage.HashingInputStream;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.provider.SyncRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.backupify.BackupifyOnHub.CONNECTION;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One hub syncs another: the first hub runs in its own JVM on the Cloud66 and vProtect simulators and stores its
 * copies; the second (in this JVM) has one Backupify connection to the first's /v1 API with a token of the first. Both
 * talk real HTTP on loopback. The second ends with the same backups, records and record hashes, and copies of the
 * records whose bytes the first hub holds, with the same sha256.
 */
class HubToHubIT {

    @TempDir
    Path dir;

    @Test
    void aSecondHubSyncsTheFirstsBackupsRecordsAndBlobsWithTheSameHashes() throws Exception {
        int port = TestHub.freePort();
        try (SimulatedProviders providers = new SimulatedProviders();
             HubProcess first = HubProcess.start(HubProcess.environment(dir.resolve("first"), port, providers),
                     dir.resolve("first.log"))) {
            first.awaitStarted();
            // the first hub has polled both providers and stored every record it can copy
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Upstream upstream = Upstream.read(first);
                return upstream.backups.size() == SimulatedProviders.CLOUD66_BACKUPS + SimulatedProviders.VPROTECT_BACKUPS
                        && upstream.storedRecords() > 80 && upstream.everyCopyableRecordStored();
            });
            Upstream upstream = Upstream.read(first);

            Path storage = dir.resolve("second").resolve("storage");
            try (TestHub second = BackupifyOnHub.hub(dir.resolve("second"),
                            "http://127.0.0.1:" + port + "/v1")
                    .with("hub.sources." + CONNECTION + ".token", HubProcess.TOKEN)
                    .with("hub.storage.targets", "file:" + storage)
                    .start()) {
                SyncRun run = second.sync(CONNECTION);
                assertTrue(run.succeeded(), run.error());
                assertEquals(upstream.backups.size(), run.newCount());

                // the same backups: status, type, times and size of every one
                Map<String, String> backups = new TreeMap<>();
                for (Map<String, Object> b : second.rows("SELECT provider_backup_id, status, type, size_bytes, "
                        + "started_at, completed_at FROM backups WHERE source = '" + CONNECTION + "'")) {
                    backups.put((String) b.get("provider_backup_id"), b.get("status") + "/" + b.get("type") + "/"
                            + b.get("size_bytes") + "/" + instant(b.get("started_at")) + "/" + instant(b.get("completed_at")));
                }
                assertEquals(upstream.backups, backups);

                // the same records, with the hashes of the first hub's stored bytes
                Map<String, String> records = new TreeMap<>();
                for (Map<String, Object> r : second.rows("SELECT r.provider_record_id, r.endpoint_name, r.name, "
                        + "r.size_bytes, r.sha256, b.provider_backup_id FROM records r JOIN backups b ON b.id = r.backup_id "
                        + "WHERE b.source = '" + CONNECTION + "'")) {
                    records.put((String) r.get("provider_record_id"), r.get("provider_backup_id") + "/"
                            + r.get("endpoint_name") + "/" + r.get("name") + "/" + r.get("size_bytes") + "/" + r.get("sha256"));
                }
                assertEquals(upstream.records, records);

                // the second hub's copies: streamed from the first's blobs, the same bytes
                second.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
                List<Map<String, Object>> copies = second.rows("SELECT x.status, x.sha256, x.storage_key, r.sha256 AS "
                        + "record_sha256 FROM copies x JOIN records r ON r.id = x.record_id");
                assertEquals(upstream.storedRecords(), copies.stream().filter(c -> "stored".equals(c.get("status"))).count(),
                        "every record the first hub stored is copied: " + copies);
                for (Map<String, Object> copy : copies) {
                    if ("stored".equals(copy.get("status"))) {
                        assertEquals(copy.get("record_sha256"), copy.get("sha256"));
                        try (HashingInputStream in = new HashingInputStream(Files.newInputStream(
                                storage.resolve((String) copy.get("storage_key"))))) {
                            in.transferTo(java.io.OutputStream.nullOutputStream());
                            assertEquals(copy.get("sha256"), in.sha256Hex());
                        }
                    }
                }
            }
        }
    }

    private static String instant(Object time) {
        return time == null ? null : ((OffsetDateTime) time).toInstant().toString();
    }

    /** What the first hub's API answers: its backups and records by id, as the second hub must hold them. */
    private static final class Upstream {
        final Map<String, String> backups = new TreeMap<>();
        final Map<String, String> records = new TreeMap<>();
        final Map<String, String> statusOfBackup = new HashMap<>();
        final List<JsonNode> recordItems = new ArrayList<>();
        final Map<String, String> providerOfBackup = new HashMap<>();

        static Upstream read(HubProcess hub) throws Exception {
            Upstream u = new Upstream();
            for (JsonNode instance : all(hub, "/v1/backup_instances")) {
                long id = instance.get("id").asLong();
                for (JsonNode b : all(hub, "/v1/backup_instances/" + id + "/backups")) {
                    u.statusOfBackup.put(b.get("id").asText(), b.get("status").asText());
                    u.providerOfBackup.put(b.get("id").asText(), instance.get("provider").asText());
                    u.backups.put(b.get("id").asText(), b.get("status").asText() + "/" + b.get("type").asText() + "/"
                            + (b.path("size_bytes").isNull() ? null : b.path("size_bytes").asLong()) + "/"
                            + OffsetDateTime.parse(b.get("started_at").asText()).toInstant() + "/"
                            + (b.path("completed_at").isTextual()
                            ? OffsetDateTime.parse(b.get("completed_at").asText()).toInstant() : null));
                }
                for (JsonNode e : all(hub, "/v1/backup_instances/" + id + "/endpoints")) {
                    for (JsonNode r : all(hub, "/v1/backup_instances/" + id + "/endpoints/" + e.get("name").asText()
                            + "/records")) {
                        u.recordItems.add(r);
                        u.records.put(r.get("id").asText(), r.get("backup_id").asText() + "/" + r.get("endpoint_name").asText()
                                + "/" + r.get("name").asText() + "/"
                                + (r.path("size_bytes").isNull() ? null : r.path("size_bytes").asLong()) + "/"
                                + (r.path("sha256").isTextual() ? r.get("sha256").asText() : null));
                    }
                }
            }
            return u;
        }

        long storedRecords() {
            return recordItems.stream().filter(r -> r.path("sha256").isTextual()).count();
        }

        /** Cloud66 files and vProtect manifests of completed or partial backups are what the first hub copies. */
        boolean everyCopyableRecordStored() {
            return recordItems.stream().filter(r -> {
                String status = statusOfBackup.get(r.get("backup_id").asText());
                String provider = providerOfBackup.get(r.get("backup_id").asText());
                String endpoint = r.get("endpoint_name").asText();
                return ("completed".equals(status) || "partial".equals(status))
                        && (provider.equals("cloud66") ? endpoint.equals("files") : endpoint.equals("manifest"));
            }).allMatch(r -> r.path("sha256").isTextual());
        }

        private static List<JsonNode> all(HubProcess hub, String path) throws Exception {
            List<JsonNode> items = new ArrayList<>();
            for (int page = 1; ; page++) {
                JsonNode got = hub.get(path + "?per_page=100&page=" + page);
                got.forEach(items::add);
                if (got.size() < 100) {
                    return items;
                }
            }
        }
    }
}
