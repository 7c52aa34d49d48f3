package io.backuphub.provider.vprotect;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backuphub.catalog.BackupStatus;
import io.backuphub.catalog.BackupType;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.provider.ProviderDataException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VProtectBackupMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final VProtectBackupMapper mapper = new VProtectBackupMapper("acme");

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({
            "QUEUED, QUEUED", "INPROGRESS, IN_PROGRESS", "SUCCESS, COMPLETED",
            "PARTIAL_SUCCESS, PARTIAL", "FAILED, FAILED", "SUCCESS_REMOVED, REMOVED"})
    void everyStatusMapsOntoTheContract(String vprotect, BackupStatus expected) {
        assertEquals(expected, mapper.toCatalogBackup(backup(vprotect, "FULL"), "fp").status());
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({"FULL, FULL", "INCREMENTAL, INCREMENTAL", "SYNCHRONIZATION, SYNCHRONIZATION", "SYNTHETIC, SYNTHETIC"})
    void everyTypeMapsOntoTheContract(String vprotect, BackupType expected) {
        assertEquals(expected, mapper.toCatalogBackup(backup("SUCCESS", vprotect), "fp").type());
    }

    @Test
    void aBackupBelongsToTheInstanceOfItsProtectedEntity() {
        CatalogBackup backup = mapper.toCatalogBackup(backup("SUCCESS", "FULL"), "fp");
        assertEquals("vprotect-vm", backup.definitionId());
        assertEquals("vm-1", backup.instanceKey());
        assertEquals("web-01", backup.instanceName());
        assertEquals("b-1", backup.providerBackupId());
        assertEquals(1_073_741_824L, backup.sizeBytes());
        assertEquals("2016-01-01T12:00:01Z", backup.startedAt().toString());
        assertEquals("2016-01-01T19:45:02Z", backup.completedAt().toString());
        assertEquals(List.of("snapshot was slow"), backup.warnings());
        assertEquals("fp", backup.fingerprint());
    }

    @Test
    void aRunningBackupHasNoCompletionTime() {
        assertNull(mapper.toCatalogBackup(backup("INPROGRESS", "FULL"), "fp").completedAt());
    }

    @Test
    void theDetailsBecomeAManifestRecordAndTheFilesRecordsOfTheFilesEndpoint() {
        ObjectNode details = backup("SUCCESS", "FULL");
        details.putArray("backupFiles").addObject().put("guid", "f-1").put("name", "disk0.qcow2").put("size", 42);
        CatalogBackup backup = mapper.toCatalogBackup(details, "fp");
        assertEquals(2, backup.records().size());
        assertEquals("manifest", backup.records().get(0).endpoint());
        assertEquals("backup-b-1.json", backup.records().get(0).name());
        assertEquals("files", backup.records().get(1).endpoint());
        assertEquals("disk0.qcow2", backup.records().get(1).name());
        assertEquals(42L, backup.records().get(1).sizeBytes());
    }

    @Test
    void anEnumSentAsABareStringIsAccepted() {
        ObjectNode item = backup("SUCCESS", "FULL");
        item.put("status", "PARTIAL_SUCCESS");
        assertEquals(BackupStatus.PARTIAL, mapper.toCatalogBackup(item, "fp").status());
    }

    @Test
    void anUnknownStatusBecomesUnknownWithTheRawValueKept() {
        CatalogBackup backup = mapper.toCatalogBackup(backup("EXPLODED", "FULL"), "fp");
        assertEquals(BackupStatus.UNKNOWN, backup.status());
        assertEquals("EXPLODED", backup.providerStatus());
        assertEquals(List.of("status 'EXPLODED'"), backup.unknownValues());
        assertEquals("2016-01-01T19:45:02Z", backup.completedAt().toString(), "backupTime, when vProtect gives one");
    }

    @Test
    void anUnknownTypeBecomesUnknownAndTheStatusIsStillMapped() {
        CatalogBackup backup = mapper.toCatalogBackup(backup("SUCCESS", "MIRROR"), "fp");
        assertEquals(BackupType.UNKNOWN, backup.type());
        assertEquals(BackupStatus.COMPLETED, backup.status());
        assertEquals("SUCCESS", backup.providerStatus());
        assertEquals(List.of("type 'MIRROR'"), backup.unknownValues());
    }

    @Test
    void aMissingStatusIsUnknown() {
        ObjectNode item = backup("SUCCESS", "FULL");
        item.remove("status");
        CatalogBackup backup = mapper.toCatalogBackup(item, "fp");
        assertEquals(BackupStatus.UNKNOWN, backup.status());
        assertNull(backup.providerStatus());
        assertEquals(List.of("status missing"), backup.unknownValues());
    }

    @Test
    void anUnknownEntityTypeGetsItsOwnDefinitionAndIsNoted() {
        ObjectNode item = backup("SUCCESS", "FULL");
        ((ObjectNode) item.path("protectedEntity").path("type")).put("name", "MAINFRAME");
        CatalogBackup backup = mapper.toCatalogBackup(item, "fp");
        assertEquals("vprotect-mainframe", backup.definitionId());
        assertEquals("MAINFRAME", backup.instanceSource().get("protected_entity_type"));
        assertEquals(List.of("protectedEntity.type 'MAINFRAME'"), backup.unknownValues());
    }

    @Test
    void anEntityTypeThatCannotNameADefinitionIsRejected() {
        ObjectNode item = backup("SUCCESS", "FULL");
        ((ObjectNode) item.path("protectedEntity").path("type")).put("name", "../x");
        assertThrows(ProviderDataException.class, () -> mapper.toCatalogBackup(item, "fp"));
    }

    @Test
    void missingRequiredFieldsAreRejected() {
        for (String field : List.of("guid", "snapshotTime", "size", "protectedEntity")) {
            ObjectNode item = backup("SUCCESS", "FULL");
            item.remove(field);
            assertThrows(ProviderDataException.class, () -> mapper.toCatalogBackup(item, "fp"), field);
        }
    }

    private static ObjectNode backup(String status, String type) {
        ObjectNode item = JSON.createObjectNode();
        item.put("guid", "b-1");
        item.put("backupTime", 1451677502000L);
        item.put("snapshotTime", 1451649601000L);
        item.putObject("status").put("name", status).put("description", status);
        item.putObject("type").put("name", type).put("description", type);
        item.put("size", 1_073_741_824L);
        ObjectNode entity = item.putObject("protectedEntity");
        entity.put("guid", "vm-1").put("name", "web-01");
        entity.putObject("type").put("name", "VM").put("description", "Virtual machine");
        item.putArray("warnings").add("snapshot was slow");
        return item;
    }
}
