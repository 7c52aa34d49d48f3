package io.backuphub.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.api.client.model.ExportRequestForm;
import io.backuphub.api.client.model.InstanceChangeForm;
import io.backuphub.api.client.model.InstanceRegistrationForm;
import io.backuphub.fanout.storage.StorageLayout;
import io.backuphub.schedule.InstanceSchedules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.GLOBEX;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertBackup;
import static io.backuphub.api.Contract.assertError;
import static io.backuphub.api.Contract.assertExport;
import static io.backuphub.api.Contract.assertInstance;
import static io.backuphub.api.Contract.assertRecord;
import static io.backuphub.api.Contract.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of the Backupify v1 reference, driven by the client generated from the hub's OpenAPI document against
 * the catalog the simulators filled; every answer checked against the contract's shapes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiOperationsTest {

    private Path dataDir;
    private ApiFixture f;
    private String auth;
    private long shopDb;
    private long backup3;
    private long tarRecord;
    private final byte[] tarBytes = "the stored bytes of shop_db_3.tar".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    void startHubOnTheSimulatorsCatalog(@TempDir Path dir) throws IOException {
        dataDir = dir;
        // the test moves exports itself (standing in for the archive builder): no build on request
        f = new ApiFixture(dataDir, Map.of("hub.exports.build-on-request", "false"));
        auth = bearer(ACME);
        shopDb = f.shopDb();
        backup3 = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '3'");
        tarRecord = f.hub.count("SELECT id FROM records WHERE backup_id = " + backup3 + " AND name = 'shop_db_3.tar'");
        // what the fan-out writes: the record's bytes in the first file storage target
        Path stored = dataDir.resolve("storage").resolve(StorageLayout.recordKey("acme", shopDb, backup3, "shop_db_3.tar"));
        Files.createDirectories(stored.getParent());
        Files.write(stored, tarBytes);
    }

    @AfterAll
    void stopHub() throws Exception {
        f.close();
    }

    @Test
    void listingInstancesByDefinitionAnswersTheCallersInstancesOfThatDefinition() throws Exception {
        ApiFixture.Reply all = f.call(f.api(auth).getV1BackupInstancesCall(null, null, null, null));
        assertEquals(200, all.status());
        Contract.assertEach(Contract.INSTANCE, all.json());
        assertTrue(all.json().size() >= 3, "acme's three Cloud66 databases");
        all.json().forEach(i -> assertEquals("cloud66", i.get("provider").asText()));

        ApiFixture.Reply mysql = f.call(f.api(auth).getV1BackupInstancesCall("cloud66-mysql", null, null, null));
        assertEquals(200, mysql.status());
        assertEquals(1, mysql.json().size());
        assertEquals(shopDb, mysql.json().get(0).get("id").asLong());
        assertEquals("1", mysql.header("X-Total-Count"));
    }

    @Test
    void gettingAnInstanceAnswersItWithItsProviderKeys() throws Exception {
        ApiFixture.Reply reply = f.call(f.api(auth).getV1BackupInstancesBackupInstanceCall(shopDb, null));
        assertEquals(200, reply.status());
        assertInstance(reply.json());
        assertEquals("Shop shop_db (mysql)", reply.json().get("name").asText());
        assertEquals("cloud66-mysql", reply.json().get("backup_definition_id").asText());
        assertEquals("stk-a", reply.json().get("source").get("stack_uid").asText());
        assertEquals("shop_db", reply.json().get("source").get("database_name").asText());
    }

    @Test
    void registeringAnInstanceFromADefinitionCreatesItForTheCustomerWithItsFrequency() throws Exception {
        f.vprotectHas("vm-new", "VM", "SUCCESS");
        long globex = f.hub.count("SELECT id FROM customers WHERE name = 'globex'");
        ApiFixture.Reply reply = f.call(f.api(bearer(GLOBEX)).postV1BackupInstancesCall(new InstanceRegistrationForm()
                .backupInstanceBackupDefinitionId("vprotect-vm")
                .backupInstanceCustomerId(globex)
                .backupInstanceBackupFrequency("0 15 3 * * ?")
                .backupInstanceProtectedEntityGuid("vm-new")
                .backupInstanceProtectedEntityName("new-vm"), null));

        assertEquals(201, reply.status(), reply::toString);
        assertInstance(reply.json());
        long id = reply.json().get("id").asLong();
        assertEquals(globex, reply.json().get("customer_id").asLong());
        assertEquals("0 15 3 * * ?", reply.json().get("backup_frequency").asText());
        assertEquals("vm-new", reply.json().get("source").get("protected_entity_guid").asText());
        assertEquals(f.baseUrl() + "/v1/backup_instances/" + id, reply.header("Location"));
        assertEquals(Optional.of("0 15 3 * * ?"), new InstanceSchedules(f.hub.context()).cron(id),
                "the hub schedules it at once");
        assertEquals(200, f.call(f.api(bearer(GLOBEX)).getV1BackupInstancesBackupInstanceCall(id, null)).status());
    }

    @Test
    void changingTheFrequencyAnswersTheInstanceWithIt() throws Exception {
        ApiFixture.Reply reply = f.call(f.api(auth).putV1BackupInstancesBackupInstanceCall(f.instanceId("Blog cache (redis)"), new InstanceChangeForm().backupInstanceBackupFrequency("manual"), null));
        assertEquals(200, reply.status(), reply::toString);
        assertInstance(reply.json());
        assertEquals("manual", reply.json().get("backup_frequency").asText());
    }

    @Test
    void listingBackupsAnswersTheFirstPageAscendingById() throws Exception {
        ApiFixture.Reply reply = f.call(f.api(auth).getV1BackupInstancesBackupInstanceBackupsCall(shopDb, null, null, null));
        assertEquals(200, reply.status());
        Contract.assertEach(Contract.BACKUP, reply.json());
        reply.json().forEach(Contract::assertBackup);
        assertEquals(20, reply.json().size());
        assertEquals("20", reply.header("X-Total-Count"));
        List<Long> ids = new ArrayList<>();
        reply.json().forEach(b -> ids.add(b.get("id").asLong()));
        assertEquals(ids.stream().sorted().toList(), ids);
    }

    @Test
    void gettingABackupAnswersItAsTheProviderReportedIt() throws Exception {
        ApiFixture.Reply reply = f.call(f.api(auth).getV1BackupInstancesBackupInstanceBackupsBackupCall(shopDb, backup3, null));
        assertEquals(200, reply.status());
        assertBackup(reply.json());
        assertEquals("3", reply.json().get("provider_backup_id").asText());
        assertEquals("completed", reply.json().get("status").asText());
        assertEquals(3900, reply.json().get("size_bytes").asLong(), "its two files");
    }

    @Test
    void theActiveBackupIsTheOneStillRunningAndAClearErrorWhenNoneIs() throws Exception {
        ApiFixture.Reply running = f.call(f.api(bearer(GLOBEX)).getV1BackupInstancesBackupInstanceBackupsActiveCall(f.instanceId("db-01"), null));
        assertEquals(200, running.status(), running::toString);
        assertBackup(running.json());
        assertEquals("in_progress", running.json().get("status").asText());

        ApiFixture.Reply none = f.call(f.api(auth).getV1BackupInstancesBackupInstanceBackupsActiveCall(shopDb, null));
        assertError(none, 404, "no_active_backup");
    }

    @Test
    void backingUpNowSyncsTheInstanceFromItsProviderAndAnswersItsNewestBackup() throws Exception {
        long analytics = f.instanceId("Shop analytics (postgresql)");
        f.providers.cloud66.addBackup("stk-a", 111, "postgresql", "analytics", Instant.parse("2026-10-09T00:00:00Z"), 0, 42L);

        ApiFixture.Reply reply = f.call(f.api(auth).postV1BackupInstancesBackupInstanceBackupsCall(analytics, null));

        assertEquals(201, reply.status(), reply::toString);
        assertBackup(reply.json());
        assertEquals("111", reply.json().get("provider_backup_id").asText());
        assertEquals(analytics, reply.json().get("backup_instance_id").asLong());
        assertEquals(1, f.hub.count("SELECT COUNT(*) FROM sync_runs WHERE scope = 'instance:" + analytics
                + "' AND outcome = 'succeeded'"));
    }

    @Test
    void endpointsAndRecordsAreListedAndReadWithTheirCounts() throws Exception {
        ApiFixture.Reply endpoints = f.call(f.api(auth).getV1BackupInstancesBackupInstanceEndpointsCall(shopDb, null, null, null));
        assertEquals(200, endpoints.status());
        Contract.assertEach(Contract.ENDPOINT, endpoints.json());
        assertEquals("files", endpoints.json().get(0).get("name").asText());

        ApiFixture.Reply endpoint = f.call(f.api(auth).getV1BackupInstancesBackupInstanceEndpointsEndpointNameCall(shopDb, "files", null));
        assertEquals(200, endpoint.status());
        assertShape(Contract.ENDPOINT, endpoint.json());
        long recordCount = endpoint.json().get("record_count").asLong();
        assertEquals(f.hub.count("SELECT COUNT(*) FROM records WHERE backup_instance_id = " + shopDb), recordCount);

        ApiFixture.Reply records = f.call(f.api(auth).getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsCall(shopDb, "files", null, null, null));
        assertEquals(200, records.status());
        Contract.assertEach(Contract.RECORD, records.json());
        assertEquals(String.valueOf(recordCount), records.header("X-Total-Count"));

        ApiFixture.Reply record = f.call(f.api(auth).getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordCall(shopDb, "files", tarRecord, null));
        assertEquals(200, record.status());
        assertRecord(record.json());
        assertEquals("shop_db_3.tar", record.json().get("name").asText());
        assertEquals("application/x-tar", record.json().get("content_type").asText());
        assertEquals(backup3, record.json().get("backup_id").asLong());
    }

    @Test
    void aRecordsBlobIsItsStoredBytesWithTypeLengthAndEtag() throws Exception {
        ApiFixture.Reply blob = f.call(f.api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordBlobCall(shopDb, "files", tarRecord, ACME, null, null, null));
        assertEquals(200, blob.status());
        assertEquals(new String(tarBytes, StandardCharsets.UTF_8), blob.body());
        assertEquals("application/x-tar", blob.header("Content-Type"));
        assertEquals(String.valueOf(tarBytes.length), blob.header("Content-Length"));
        assertEquals("\"" + RecordDigestsTestSupport.sha256(tarBytes) + "\"", blob.header("ETag"));
    }

    @Test
    void exportsAreRequestedListedReadAndReauthorizedWithAFreshSignedLink() throws Exception {
        ApiFixture.Reply created = f.call(f.api(auth).postV1BackupInstancesBackupInstanceExportsCall(shopDb,
                new ExportRequestForm()
                        .exportRunBackupRunId(backup3)
                        .exportRunContentTypes("application/x-tar")
                        .exportRunExportDatetime(LocalDate.parse("2026-10-01"))
                        .exportRunExportFormats("tar")
                        .exportRunForceFull(false)
                        .exportRunSendConfirmation(true), null));
        assertEquals(201, created.status(), created::toString);
        assertExport(created.json());
        JsonNode export = created.json();
        long exportId = export.get("id").asLong();
        assertEquals("queued", export.get("status").asText());
        assertEquals(backup3, export.get("backup_id").asLong());
        assertEquals("2026-10-01", export.get("export_datetime").asText());
        assertEquals("application/x-tar", export.get("content_types").get(0).asText());
        assertTrue(export.get("send_confirmation").asBoolean());
        assertNull(export.get("exported_data_url").textValue(), "no link before it is built");

        ApiFixture.Reply list = f.call(f.api(auth).getV1BackupInstancesBackupInstanceExportsCall(shopDb, null, null, null));
        assertEquals(200, list.status());
        Contract.assertEach(Contract.EXPORT, list.json());

        // what builds the archive moves it on (the fan-out does this; here the test stands in for it)
        ExportStore store = new ExportStore(f.hub.catalog(), Clock.systemUTC());
        Path archive = dataDir.resolve("storage/exports/export-" + exportId + ".tar");
        Files.createDirectories(archive.getParent());
        Files.write(archive, tarBytes);
        assertTrue(store.start(exportId));
        assertTrue(store.complete(exportId, "exports/export-" + exportId + ".tar", tarBytes.length,
                Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)));

        ApiFixture.Reply completed = f.call(f.api(auth).getV1BackupInstancesBackupInstanceExportsExportCall(shopDb, exportId, null));
        assertEquals(200, completed.status());
        assertExport(completed.json());
        assertEquals("completed", completed.json().get("status").asText());
        String firstUrl = completed.json().get("exported_data_url").asText();
        assertTrue(firstUrl.startsWith(f.baseUrl() + "/v1/backup_instances/" + shopDb + "/exports/" + exportId + "/download?"),
                firstUrl);

        ApiFixture.Reply reauth = f.call(f.api(auth).postV1BackupInstancesBackupInstanceExportsExportReauthCall(shopDb, exportId, null));
        assertEquals(200, reauth.status(), reauth::toString);
        assertExport(reauth.json());
        String freshUrl = reauth.json().get("exported_data_url").asText();
        assertNotEquals(firstUrl, freshUrl, "a fresh URL");
        assertTrue(Instant.parse(reauth.json().get("expires_at").asText())
                .isAfter(Instant.parse(completed.json().get("expires_at").asText())), "a later expiry");

        ApiFixture.Reply download = f.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(freshUrl)));
        assertEquals(200, download.status());
        assertEquals(new String(tarBytes, StandardCharsets.UTF_8), download.body());
        assertEquals("application/x-tar", download.header("Content-Type"));
    }

    @Test
    void pingCustomersAndDefinitionsAnswerForABackupifyClient() throws Exception {
        ApiFixture.Reply ping = f.get("/v1/ping", ACME);
        assertEquals(200, ping.status());
        assertEquals("ok", ping.json().get("status").asText());

        ApiFixture.Reply customers = f.get("/v1/customers", ACME);
        Contract.assertEach(Contract.CUSTOMER, customers.json());
        long acme = customers.json().get(0).get("id").asLong();
        assertShape(Contract.CUSTOMER, f.get("/v1/customers/" + acme, ACME).json());
        ApiFixture.Reply instances = f.get("/v1/customers/" + acme + "/backup_instances", ACME);
        assertEquals(200, instances.status());
        instances.json().forEach(i -> assertEquals(acme, i.get("customer_id").asLong()));

        ApiFixture.Reply definitions = f.get("/v1/backup_definitions?per_page=100", ACME);
        Contract.assertEach(Contract.DEFINITION, definitions.json());
        List<String> ids = new ArrayList<>();
        definitions.json().forEach(d -> ids.add(d.get("id").asText()));
        assertTrue(ids.containsAll(List.of("cloud66-mysql", "cloud66-postgresql", "cloud66-redis", "cloud66-mongodb",
                "vprotect-vm", "vprotect-app")), ids::toString);
        assertEquals("vprotect", f.get("/v1/backup_definitions/vprotect-vm", ACME).json().get("provider").asText());
    }

    @Test
    void anOAuthClientGetsAShortLivedBearerTokenForItsCredentials() throws Exception {
        ApiFixture.Reply form = f.send(f.request("/oauth/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=reporting&client_secret=reporting-secret")));
        assertEquals(200, form.status(), form::toString);
        assertEquals("Bearer", form.json().get("token_type").asText());
        assertEquals(3600, form.json().get("expires_in").asLong());
        assertEquals("no-store", form.header("Cache-Control"));
        assertEquals(200, f.get("/v1/ping", form.json().get("access_token").asText()).status());

        String basic = java.util.Base64.getEncoder().encodeToString("reporting:reporting-secret".getBytes(StandardCharsets.UTF_8));
        ApiFixture.Reply viaBasic = f.send(f.request("/oauth/token").header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")));
        assertEquals(200, viaBasic.status(), viaBasic::toString);

        assertError(f.send(f.request("/oauth/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=reporting&client_secret=wrong"))), 401, "invalid_client");
        assertError(f.send(f.request("/oauth/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=password&username=a&password=b"))),
                400, "unsupported_grant_type");
    }

    @Test
    void anInstancesLogShowsItsSyncsAndBackupsOfTheDayNewestLast() throws Exception {
        long blog = f.instanceId("Blog cache (redis)");
        assertEquals(201, f.call(f.api(auth).postV1BackupInstancesBackupInstanceBackupsCall(blog, null)).status());

        ApiFixture.Reply log = f.get("/v1/backup_instances/" + blog + "/logs?per_page=100", ACME);
        assertEquals(200, log.status());
        List<String> kinds = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        log.json().forEach(line -> {
            kinds.add(line.get("kind").asText());
            times.add(Instant.parse(line.get("logged_at").asText()));
        });
        assertEquals(15, kinds.stream().filter("backup"::equals).count(), "one line per backup ingested");
        assertEquals("sync", kinds.get(kinds.size() - 1), "the sync just run is the newest line, last");
        assertTrue(log.json().get(kinds.size() - 1).get("message").asText().startsWith("sync succeeded"));
        assertEquals(times.stream().sorted().toList(), times, "oldest first");

        String yesterday = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
        assertEquals("[]", f.get("/v1/backup_instances/" + blog + "/logs?date=" + yesterday, ACME).body());
    }
}
