package io.backuphub.provider.backupify;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backuphub.catalog.BackupStatus;
import io.backuphub.catalog.BackupType;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogRecord;
import io.backuphub.provider.ProviderDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackupifyBackupMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BackupifyBackupMapper mapper = new BackupifyBackupMapper("dr-site", "acme");

    @Test
    void anUpstreamInstanceBecomesAnInstanceOfThisHubUnderABackupifyDefinition() {
        CatalogBackup backup = mapper.toCatalogBackup(instance("cloud66-mysql"), backup("completed", "full"), "fp", List.of());
        assertEquals("backupify", backup.provider());
        assertEquals("dr-site", backup.source());
        assertEquals("acme", backup.customer());
        assertEquals("backupify-cloud66-mysql", backup.definitionId());
        assertEquals("Backupify cloud66-mysql", backup.definitionName());
        assertEquals("7", backup.instanceKey());
        assertEquals("Shop shop_db (mysql)", backup.instanceName());
        assertEquals(Map.of("backup_instance_id", "7", "backup_definition_id", "cloud66-mysql", "provider", "cloud66"),
                backup.instanceSource());
        assertEquals("42", backup.providerBackupId());
        assertEquals(OffsetDateTime.parse("2026-10-01T02:00:00Z"), backup.startedAt());
        assertEquals(OffsetDateTime.parse("2026-10-01T02:10:00Z"), backup.completedAt());
        assertEquals(3000L, backup.sizeBytes());
        assertEquals(List.of("verification was slow"), backup.warnings());
        assertEquals("fp", backup.fingerprint());
        assertEquals("completed", backup.providerStatus());
        assertEquals(List.of(), backup.unknownValues());
    }

    @Test
    void anUpstreamDefinitionThatCannotNameADefinitionGivesTheFixedOne() {
        assertEquals("backupify-instance", mapper.toCatalogBackup(instance("Google Workspace / Gmail!"),
                backup("completed", "full"), "fp", List.of()).definitionId());
        assertEquals("backupify-instance", mapper.toCatalogBackup(instance(null), backup("completed", "full"), "fp",
                List.of()).definitionId());
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({"queued, QUEUED", "in_progress, IN_PROGRESS", "completed, COMPLETED", "partial, PARTIAL",
            "failed, FAILED", "removed, REMOVED"})
    void everyStatusOfTheApiIsKept(String upstream, BackupStatus expected) {
        assertEquals(expected, mapper.toCatalogBackup(instance("x"), backup(upstream, "full"), "fp", List.of()).status());
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({"full, FULL", "incremental, INCREMENTAL", "synchronization, SYNCHRONIZATION", "synthetic, SYNTHETIC"})
    void everyTypeOfTheApiIsKept(String upstream, BackupType expected) {
        assertEquals(expected, mapper.toCatalogBackup(instance("x"), backup("completed", upstream), "fp", List.of()).type());
    }

    @Test
    void aStatusOrTypeThisHubDoesNotKnowIsUnknownAndSaidSo() {
        CatalogBackup backup = mapper.toCatalogBackup(instance("x"), backup("archived", "differential"), "fp", List.of());
        assertEquals(BackupStatus.UNKNOWN, backup.status());
        assertEquals(BackupType.UNKNOWN, backup.type());
        assertEquals("archived", backup.providerStatus());
        assertEquals(List.of("status 'archived'", "type 'differential'"), backup.unknownValues());
        CatalogBackup unknown = mapper.toCatalogBackup(instance("x"), backup("unknown", "unknown"), "fp", List.of());
        assertEquals(List.of("status 'unknown'"), unknown.unknownValues());
        assertEquals(BackupType.UNKNOWN, unknown.type());
    }

    @Test
    void aRunningBackupHasNoCompletionTime() {
        assertNull(mapper.toCatalogBackup(instance("x"), backup("in_progress", "full"), "fp", List.of()).completedAt());
    }

    @Test
    void recordsKeepTheirUpstreamIdEndpointSizeAndHash() {
        UpstreamRecord record = mapper.record("files", "Files of the backup", record(501, 42, "shop_db.tar", "ABCDEF"
                + "0".repeat(58)));
        assertEquals("42", record.backupId());
        assertEquals("abcdef" + "0".repeat(58), record.sha256());
        assertEquals(new CatalogRecord("files", "Files of the backup", "501", "shop_db.tar", "application/x-tar", 3000L),
                record.catalogRecord());
        CatalogBackup backup = mapper.toCatalogBackup(instance("x"), backup("completed", "full"), "fp", List.of(record));
        assertEquals(List.of(record.catalogRecord()), backup.records());
    }

    @Test
    void aRecordNotStoredUpstreamYetHasNoHash() {
        ObjectNode json = record(501, 42, "a.json", null);
        json.remove("content_type");
        UpstreamRecord record = mapper.record("manifest", null, json);
        assertNull(record.sha256());
        assertEquals("application/json", record.catalogRecord().contentType());
        assertEquals("Records of manifest", record.catalogRecord().endpointDescription());
    }

    @Test
    void whatCannotBePlacedIsRejectedWithItsReason() {
        ObjectNode noId = backup("completed", "full");
        noId.remove("id");
        assertEquals("backup has no id", assertThrows(ProviderDataException.class,
                () -> mapper.toCatalogBackup(instance("x"), noId, "fp", List.of())).getMessage());
        ObjectNode noStart = backup("completed", "full");
        noStart.putNull("started_at");
        assertEquals("backup has no started_at", assertThrows(ProviderDataException.class,
                () -> mapper.toCatalogBackup(instance("x"), noStart, "fp", List.of())).getMessage());
        ObjectNode badTime = backup("completed", "full");
        badTime.put("completed_at", "yesterday");
        assertEquals("completed_at is not a date-time: 'yesterday'", assertThrows(ProviderDataException.class,
                () -> mapper.toCatalogBackup(instance("x"), badTime, "fp", List.of())).getMessage());
        ObjectNode noInstanceId = instance("x");
        noInstanceId.put("id", "seven");
        assertThrows(ProviderDataException.class, () -> mapper.instanceId(noInstanceId));
        ObjectNode nameless = record(5, 42, "x", null);
        nameless.remove("name");
        assertEquals("record 5 has no name", assertThrows(ProviderDataException.class,
                () -> mapper.record("files", null, nameless)).getMessage());
    }

    static ObjectNode instance(String definition) {
        ObjectNode json = JSON.createObjectNode().put("id", 7).put("customer_id", 1)
                .put("backup_definition_id", definition).put("name", "Shop shop_db (mysql)").put("provider", "cloud66");
        json.putObject("source").put("stack_uid", "stk-a");
        return json;
    }

    static ObjectNode backup(String status, String type) {
        ObjectNode json = JSON.createObjectNode().put("id", 42).put("backup_instance_id", 7)
                .put("provider_backup_id", "3").put("status", status).put("type", type)
                .put("started_at", "2026-10-01T02:00:00Z").put("completed_at", "2026-10-01T02:10:00Z")
                .put("size_bytes", 3000).put("provider_status", "0");
        json.putArray("warnings").add("verification was slow");
        json.putArray("copies");
        return json;
    }

    static ObjectNode record(long id, long backupId, String name, String sha256) {
        ObjectNode json = JSON.createObjectNode().put("id", id).put("endpoint_name", "files").put("backup_id", backupId)
                .put("name", name).put("content_type", "application/x-tar").put("size_bytes", 3000)
                .put("created_at", "2026-10-01T02:11:00Z");
        if (sha256 != null) {
            json.put("sha256", sha256);
        } else {
            json.putNull("sha256");
        }
        return json;
    }
}
