package io.backuphub.provider.cloud66;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backuphub.catalog.BackupStatus;
import io.backuphub.catalog.BackupType;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogRecord;
import io.backuphub.provider.ProviderDataException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Cloud66BackupMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The "Get Backup" example of the Cloud66 v3 reference. */
    private static final String REFERENCE_BACKUP = """
            {"id":1,"server_uid":"e63e859d5ab72b0bcf14321f0ffb013d","db_type":"mysql","database_name":"shab-test-db",
             "file_base":"","backup_date_iso":"2014-09-01T18:16:16Z","backup_status":0,"backup_result":"",
             "restore_status":0,"restore_result":null,"created_at_iso":"2014-09-01T18:16:16Z",
             "updated_at_iso":"2014-09-01T18:16:16Z","verify_status":0,"verify_result":null,
             "storage_path":"2aad/backups/3c65/mysql/test_db_11/2014.09.01.18.16.14","skip_tables":"","backup_size":0}
            """;

    private final Cloud66BackupMapper mapper = new Cloud66BackupMapper("acme");
    private final Cloud66Stack stack = new Cloud66Stack("stack-1", "Shop");

    @Test
    void theReferenceBackupBecomesACompletedFullRunOfItsDatabaseInstance() throws Exception {
        CatalogBackup backup = mapper.toCatalogBackup(JSON.readTree(REFERENCE_BACKUP), stack);

        assertEquals("cloud66", backup.provider());
        assertEquals("acme", backup.customer());
        assertEquals("cloud66-mysql", backup.definitionId());
        assertEquals("stack-1/mysql/shab-test-db", backup.instanceKey());
        assertEquals("Shop shab-test-db (mysql)", backup.instanceName());
        assertEquals("1", backup.providerBackupId());
        assertEquals(BackupStatus.COMPLETED, backup.status());
        assertEquals(BackupType.FULL, backup.type());
        assertEquals("2014-09-01T18:16:16Z", backup.completedAt().toString());
        assertEquals(0L, backup.sizeBytes());
        assertEquals(List.of(), backup.warnings());
        assertEquals(64, backup.fingerprint().length());
    }

    @Test
    void aFailedBackupStatusMapsToFailed() throws Exception {
        assertEquals(BackupStatus.FAILED, mapper.toCatalogBackup(with("backup_status", 1), stack).status());
    }

    @Test
    void aFailedVerificationBecomesAWarning() throws Exception {
        ObjectNode item = with("verify_status", 3);
        item.put("verify_result", "checksum mismatch");
        assertEquals(List.of("verification failed: checksum mismatch"), mapper.toCatalogBackup(item, stack).warnings());
    }

    @Test
    void aNewDbTypeIsTakenInWithItsOwnDefinitionAndNotedAsUnknown() throws Exception {
        CatalogBackup backup = mapper.toCatalogBackup(with("db_type", "oracle"), stack);
        assertEquals("cloud66-oracle", backup.definitionId());
        assertEquals("stack-1/oracle/shab-test-db", backup.instanceKey());
        assertEquals(BackupStatus.COMPLETED, backup.status());
        assertEquals(List.of("db_type 'oracle'"), backup.unknownValues());
    }

    @Test
    void aDbTypeThatCannotNameAnInstanceIsRejectedWithTheReason() throws Exception {
        ProviderDataException e = assertThrows(ProviderDataException.class,
                () -> mapper.toCatalogBackup(with("db_type", "My SQL/8"), stack));
        assertEquals("1", e.itemId());
        assertTrue(e.getMessage().contains("unusable db_type 'My SQL/8'"), e.getMessage());
        assertTrue(e.payload().contains("My SQL/8"));
    }

    @Test
    void anUnknownBackupStatusBecomesUnknownWithTheRawValueKept() throws Exception {
        CatalogBackup backup = mapper.toCatalogBackup(with("backup_status", 7), stack);
        assertEquals(BackupStatus.UNKNOWN, backup.status());
        assertEquals("7", backup.providerStatus());
        assertEquals(List.of("backup_status 7"), backup.unknownValues());
    }

    @Test
    void aBackupStatusThatIsNotANumberOrMissingIsUnknownToo() throws Exception {
        CatalogBackup paused = mapper.toCatalogBackup(with("backup_status", "paused"), stack);
        assertEquals(BackupStatus.UNKNOWN, paused.status());
        assertEquals("paused", paused.providerStatus());
        ObjectNode none = (ObjectNode) JSON.readTree(REFERENCE_BACKUP);
        none.remove("backup_status");
        CatalogBackup missing = mapper.toCatalogBackup(none, stack);
        assertEquals(BackupStatus.UNKNOWN, missing.status());
        assertEquals(List.of("backup_status missing"), missing.unknownValues());
    }

    @Test
    void theKnownStatusesKeepTheirRawValueAndNoteNothing() throws Exception {
        CatalogBackup backup = mapper.toCatalogBackup(JSON.readTree(REFERENCE_BACKUP), stack);
        assertEquals("0", backup.providerStatus());
        assertEquals(List.of(), backup.unknownValues());
    }

    @Test
    void anUnknownVerifyStatusIsNotedAndChangesNothingElse() throws Exception {
        CatalogBackup backup = mapper.toCatalogBackup(with("verify_status", 9), stack);
        assertEquals(BackupStatus.COMPLETED, backup.status());
        assertEquals(List.of(), backup.warnings());
        assertEquals(List.of("verify_status 9"), backup.unknownValues());
    }

    @Test
    void aBackupWithoutIdOrDatabaseIsRejected() throws Exception {
        ObjectNode noId = (ObjectNode) JSON.readTree(REFERENCE_BACKUP);
        noId.remove("id");
        assertTrue(assertThrows(ProviderDataException.class, () -> mapper.toCatalogBackup(noId, stack))
                .getMessage().contains("no id"));
        ObjectNode noDatabase = (ObjectNode) JSON.readTree(REFERENCE_BACKUP);
        noDatabase.remove("database_name");
        assertTrue(assertThrows(ProviderDataException.class, () -> mapper.toCatalogBackup(noDatabase, stack))
                .getMessage().contains("database_name"));
    }

    @Test
    void aBadDateIsRejected() throws Exception {
        ObjectNode item = (ObjectNode) JSON.readTree(REFERENCE_BACKUP);
        item.put("backup_date_iso", "yesterday");
        assertTrue(assertThrows(ProviderDataException.class, () -> mapper.toCatalogBackup(item, stack))
                .getMessage().contains("not ISO-8601"));
    }

    @Test
    void filesBecomeRecordsOfTheFilesEndpointWithAContentType() throws Exception {
        JsonNode page = JSON.readTree("""
                {"response":[{"id":"tar","name":"test_db_11.tar"},{"id":"sql.gz","name":"test_db_11.sql.gz"}],
                 "count":2,"pagination":{"previous":null,"next":null,"current":1,"per_page":30,"count":2,"pages":1}}""");
        List<CatalogRecord> records = mapper.toRecords("1", page);
        assertEquals(2, records.size());
        assertEquals(new CatalogRecord("files", "Database backup files", "tar", "test_db_11.tar", "application/x-tar", null),
                records.get(0));
        assertEquals("application/gzip", records.get(1).contentType());
    }

    @Test
    void aFileWithoutANameRejectsTheBackup() throws Exception {
        JsonNode page = JSON.readTree("{\"response\":[{\"id\":\"tar\"}],\"pagination\":{\"next\":null}}");
        assertThrows(ProviderDataException.class, () -> mapper.toRecords("1", page));
    }

    @Test
    void aNullItemADateBeyondTheYearRangeAndAFilesAnswerWithoutAListAreRejectedAsProviderData() throws Exception {
        assertThrows(ProviderDataException.class, () -> mapper.toCatalogBackup(JSON.nullNode(), stack));
        assertThrows(ProviderDataException.class,
                () -> mapper.toCatalogBackup(with("backup_date_iso", "+999999999-12-31T23:59:59-18:00"), stack));
        assertThrows(ProviderDataException.class, () -> mapper.toRecords("4", JSON.readTree("{\"response\":{}}")));
    }

    private static ObjectNode with(String field, Object value) throws Exception {
        ObjectNode item = (ObjectNode) JSON.readTree(REFERENCE_BACKUP);
        item.set(field, JSON.valueToTree(value));
        return item;
    }
}
