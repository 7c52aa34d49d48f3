package io.backuphub.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.client.V1Api;
import io.backuphub.api.client.invoker.ApiException;
import io.backuphub.api.client.model.ExportRequestForm;
import io.backuphub.api.client.model.ExportRestoreForm;
import io.backuphub.api.client.model.InstanceChangeForm;
import io.backuphub.api.client.model.InstanceRegistrationForm;
import io.backuphub.api.client.model.TokenRequestForm;
import io.backuphub.fanout.storage.StorageLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One pass over every operation of the hub's OpenAPI document, each called through the client generated from it
 * (no hand-built request): a token from {@code POST /oauth/token} drives the rest, the signed link of an export
 * downloads it.
 */
class EveryOperationThroughTheGeneratedClientTest {

    @TempDir
    Path dataDir;

    private final Map<String, Integer> answered = new TreeMap<>();

    @Test
    void everyOperationOfTheDocumentAnswersThroughTheGeneratedClient() throws Exception {
        byte[] tarBytes = "the stored bytes of shop_db_3.tar".getBytes(StandardCharsets.UTF_8);
        try (ApiFixture f = new ApiFixture(dataDir, Map.of("hub.exports.build-on-request", "false"))) {
            long shopDb = f.shopDb();
            long acme = f.hub.count("SELECT id FROM customers WHERE name = 'acme'");
            long backup3 = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '3'");
            long tarRecord = f.hub.count("SELECT id FROM records WHERE backup_id = " + backup3
                    + " AND name = 'shop_db_3.tar'");
            Path stored = dataDir.resolve("storage")
                    .resolve(StorageLayout.recordKey("acme", shopDb, backup3, "shop_db_3.tar"));
            Files.createDirectories(stored.getParent());
            Files.write(stored, tarBytes);

            ApiFixture.Reply token = call(f, "postOauthToken", 200, f.api.postOauthTokenCall(new TokenRequestForm()
                    .grantType(TokenRequestForm.GrantTypeEnum.CLIENT_CREDENTIALS).clientId("reporting").clientSecret("reporting-secret"), null));
            V1Api api = f.api(ApiFixture.bearer(token.json().get("access_token").asText()));

            call(f, "getV1Ping", 200, api.getV1PingCall(null));
            call(f, "getV1Customers", 200, api.getV1CustomersCall(1, 20, null));
            call(f, "getV1CustomersCustomer", 200, api.getV1CustomersCustomerCall(acme, null));
            call(f, "getV1CustomersCustomerBackupInstances", 200,
                    api.getV1CustomersCustomerBackupInstancesCall(acme, 1, 20, null));
            call(f, "getV1BackupDefinitions", 200, api.getV1BackupDefinitionsCall(1, 100, null));
            call(f, "getV1BackupDefinitionsBackupDefinition", 200,
                    api.getV1BackupDefinitionsBackupDefinitionCall("cloud66-mysql", null));

            call(f, "getV1BackupInstances", 200, api.getV1BackupInstancesCall("cloud66-mysql", 1, 20, null));
            // a database Cloud66 has (registration asks) and the hub has not polled yet; acme owns the Cloud66 source
            f.cloud66Has("stk-a", "mysql", "every_operation_db");
            ApiFixture.Reply registered = call(f, "postV1BackupInstances", 201, api.postV1BackupInstancesCall(
                    new InstanceRegistrationForm().backupInstanceBackupDefinitionId("cloud66-mysql")
                            .backupInstanceCustomerId(acme).backupInstanceBackupFrequency("manual")
                            .backupInstanceStackUid("stk-a").backupInstanceDatabaseName("every_operation_db"), null));
            long vm = registered.json().get("id").asLong();
            call(f, "getV1BackupInstancesBackupInstance", 200, api.getV1BackupInstancesBackupInstanceCall(vm, null));
            ApiFixture.Reply changed = call(f, "putV1BackupInstancesBackupInstance", 200,
                    api.putV1BackupInstancesBackupInstanceCall(vm,
                            new InstanceChangeForm().backupInstanceBackupFrequency("weekly"), null));
            assertEquals("weekly", changed.json().get("backup_frequency").asText());
            call(f, "getV1BackupInstancesBackupInstanceLogs", 200,
                    api.getV1BackupInstancesBackupInstanceLogsCall(vm, null, 1, 20, null));

            call(f, "getV1BackupInstancesBackupInstanceBackups", 200,
                    api.getV1BackupInstancesBackupInstanceBackupsCall(shopDb, 1, 20, null));
            call(f, "postV1BackupInstancesBackupInstanceBackups", 201,
                    api.postV1BackupInstancesBackupInstanceBackupsCall(shopDb, null));
            ApiFixture.Reply active = call(f, "getV1BackupInstancesBackupInstanceBackupsActive", 404,
                    api.getV1BackupInstancesBackupInstanceBackupsActiveCall(shopDb, null));
            assertEquals("no_active_backup", active.errorCode());
            call(f, "getV1BackupInstancesBackupInstanceBackupsBackup", 200,
                    api.getV1BackupInstancesBackupInstanceBackupsBackupCall(shopDb, backup3, null));

            call(f, "getV1BackupInstancesBackupInstanceEndpoints", 200,
                    api.getV1BackupInstancesBackupInstanceEndpointsCall(shopDb, 1, 20, null));
            call(f, "getV1BackupInstancesBackupInstanceEndpointsEndpointName", 200,
                    api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameCall(shopDb, "files", null));
            call(f, "getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecords", 200,
                    api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsCall(shopDb, "files", 1, 20, null));
            call(f, "getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecord", 200,
                    api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordCall(shopDb, "files",
                            tarRecord, null));
            ApiFixture.Reply blob = call(f, "getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordBlob",
                    206, api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordBlobCall(shopDb,
                            "files", tarRecord, null, "bytes=4-9", null, null));
            assertEquals("stored", blob.body());

            call(f, "getV1BackupInstancesBackupInstanceExports", 200,
                    api.getV1BackupInstancesBackupInstanceExportsCall(shopDb, 1, 20, null));
            ApiFixture.Reply created = call(f, "postV1BackupInstancesBackupInstanceExports", 201,
                    api.postV1BackupInstancesBackupInstanceExportsCall(shopDb,
                            new ExportRequestForm().exportRunBackupRunId(backup3).exportRunExportFormats("tar"), null));
            long exportId = created.json().get("id").asLong();
            // what builds the archive moves the export on (here the test stands in for it)
            ExportStore store = new ExportStore(f.hub.catalog(), Clock.systemUTC());
            Path archive = dataDir.resolve("storage/exports/export-" + exportId + ".tar");
            Files.createDirectories(archive.getParent());
            Files.write(archive, tarBytes);
            assertTrue(store.start(exportId));
            assertTrue(store.complete(exportId, "exports/export-" + exportId + ".tar", tarBytes.length,
                    Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)));
            call(f, "getV1BackupInstancesBackupInstanceExportsExport", 200,
                    api.getV1BackupInstancesBackupInstanceExportsExportCall(shopDb, exportId, null));
            ApiFixture.Reply reauth = call(f, "postV1BackupInstancesBackupInstanceExportsExportReauth", 200,
                    api.postV1BackupInstancesBackupInstanceExportsExportReauthCall(shopDb, exportId, null));
            call(f, "postV1BackupInstancesBackupInstanceExportsExportRestore", 202,
                    api.postV1BackupInstancesBackupInstanceExportsExportRestoreCall(shopDb, exportId,
                            new ExportRestoreForm().restoreBackupInstanceId(shopDb).restoreGroup(7), null));

            // the signed link is the credential: the client without a token, the link's own query
            URI link = URI.create(reauth.json().get("exported_data_url").asText());
            Map<String, String> query = new TreeMap<>();
            for (String pair : link.getRawQuery().split("&")) {
                query.put(pair.substring(0, pair.indexOf('=')), java.net.URLDecoder.decode(
                        pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
            }
            ApiFixture.Reply download = call(f, "getV1BackupInstancesBackupInstanceExportsExportDownload", 200,
                    f.api.getV1BackupInstancesBackupInstanceExportsExportDownloadCall(shopDb, exportId,
                            Long.parseLong(query.get("expires")), query.get("signature"), null, null, null));
            assertEquals(new String(tarBytes, StandardCharsets.UTF_8), download.body());
        }

        Set<String> documented = new TreeSet<>();
        JsonNode document = new ObjectMapper().readTree(ServedOpenApiDocumentTest.COMMITTED.toFile());
        document.path("paths").forEach(path -> path.forEach(op -> documented.add(op.path("operationId").asText())));
        assertEquals(documented, answered.keySet(), "every operation of the document, called once");
    }

    private ApiFixture.Reply call(ApiFixture f, String operationId, int status, okhttp3.Call call)
            throws ApiException {
        ApiFixture.Reply reply = f.call(call);
        assertEquals(status, reply.status(), operationId + ": " + reply);
        answered.put(operationId, reply.status());
        return reply;
    }
}
