package io.backuphub.api;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;

import io.backuphub.api.client.model.PostV1BackupInstancesBackupInstanceExportsRequest;
import io.backuphub.api.client.model.PostV1BackupInstancesRequest;
import io.backuphub.api.client.model.PutV1BackupInstancesBackupInstanceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every parameter is validated: bad ids, page numbers, per_page over the maximum, cron expressions, dates,
 * flags, content types and unknown references are answered 400 or 422 with the contract's error body and no
 * stack trace, and change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiValidationTest {

    private static final List<String> BAD_IDS = List.of("abc", "0", "-1", "1.5", "1e3", "99999999999999999999", "%20");

    private ApiFixture f;
    private long shopDb;
    private long acme;

    @BeforeAll
    void startHub(@TempDir Path dataDir) {
        f = new ApiFixture(dataDir);
        shopDb = f.shopDb();
        acme = f.hub.count("SELECT id FROM customers WHERE name = 'acme'");
    }

    @AfterAll
    void stopHub() {
        f.close();
    }

    @Test
    void everyIdInAPathMustBeAPositiveWholeNumber() throws Exception {
        String a = bearer(ACME);
        for (String bad : BAD_IDS) {
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceCall(bad, a, null)), 400, "invalid_parameter");
            assertError(f.call(f.api.putV1BackupInstancesBackupInstanceCall(bad, a,
                    new PutV1BackupInstancesBackupInstanceRequest().backupInstanceBackupFrequency("daily"), null)),
                    400, "invalid_parameter");
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceBackupsCall(bad, a, null)), 400, "invalid_parameter");
            assertError(f.call(f.api.postV1BackupInstancesBackupInstanceBackupsCall(bad, a, null)), 400, "invalid_parameter");
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceBackupsActiveCall(bad, a, null)), 400, "invalid_parameter");
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceBackupsBackupCall(bad, shopDb, a, null)),
                    400, "invalid_parameter");
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceEndpointsCall(bad, a, null)), 400, "invalid_parameter");
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordCall(
                    shopDb, "files", bad, a, null)), 400, "invalid_parameter");
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordBlobCall(
                    shopDb, "files", bad, ACME, null)), 400, "invalid_parameter");
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceExportsCall(bad, a, null)), 400, "invalid_parameter");
            assertError(f.call(f.api.getV1BackupInstancesBackupInstanceExportsExportCall(shopDb, bad, a, null)),
                    400, "invalid_parameter");
            assertError(f.send(f.request("/v1/backup_instances/" + shopDb + "/exports/" + bad + "/reauth")
                    .header("Authorization", a).POST(HttpRequest.BodyPublishers.noBody())), 400, "invalid_parameter");
            assertError(f.get("/v1/customers/" + bad, ACME), 400, "invalid_parameter");
        }
    }

    @Test
    void unknownObjectsAreNotFound() throws Exception {
        String a = bearer(ACME);
        assertError(f.call(f.api.getV1BackupInstancesBackupInstanceCall(987654, a, null)), 404, "not_found");
        assertError(f.call(f.api.getV1BackupInstancesBackupInstanceBackupsBackupCall(987654, shopDb, a, null)), 404, "not_found");
        assertError(f.call(f.api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameCall(shopDb, "nope", a, null)),
                404, "not_found");
        assertError(f.call(f.api.getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsCall(shopDb, "nope", a, null)),
                404, "not_found");
        assertError(f.call(f.api.getV1BackupInstancesBackupInstanceExportsExportCall(shopDb, 987654, a, null)), 404, "not_found");
        assertError(f.get("/v1/backup_definitions/nope", ACME), 404, "not_found");
    }

    @Test
    void pagingParametersOutsideTheirRangeAreRejectedOnEveryList() {
        List<String> lists = List.of("/v1/backup_instances", "/v1/customers", "/v1/backup_definitions",
                "/v1/customers/" + acme + "/backup_instances", "/v1/backup_instances/" + shopDb + "/backups",
                "/v1/backup_instances/" + shopDb + "/endpoints", "/v1/backup_instances/" + shopDb + "/endpoints/files/records",
                "/v1/backup_instances/" + shopDb + "/exports", "/v1/backup_instances/" + shopDb + "/logs");
        for (String list : lists) {
            for (String query : List.of("page=0", "page=-2", "page=two", "page=1.5", "per_page=101", "per_page=0",
                    "per_page=all", "page=99999999999")) {
                assertError(f.get(list + "?" + query, ACME), 400, "invalid_parameter");
            }
            assertEquals(200, f.get(list + "?page=1&per_page=100", ACME).status(), list);
            assertEquals(200, f.get(list + "?page=500", ACME).status(), list + ": a page past the end is empty, not an error");
        }
    }

    @Test
    void aRegistrationNeedsAKnownDefinitionAVisibleCustomerAValidFrequencyAndItsProviderKeys() throws Exception {
        long before = f.hub.count("SELECT COUNT(*) FROM backup_instances");
        String a = bearer(ACME);
        assertError(register(a, "nope", acme, "daily", "vm-x"), 422, "unknown_definition");
        assertError(register(a, "vprotect-vm", 987654, "daily", "vm-x"), 422, "unknown_customer");
        assertError(register(a, "vprotect-vm", "acme", "daily", "vm-x"), 400, "invalid_parameter");
        assertError(register(a, "vprotect-vm", acme, "every day", "vm-x"), 422, "invalid_frequency");
        assertError(register(a, "vprotect-vm", acme, "0 0 25 * * ?", "vm-x"), 422, "invalid_frequency");
        assertError(register(a, "vprotect-vm", acme, "* * * * *", "vm-x"), 422, "invalid_frequency");
        assertError(register(a, "vprotect-vm", acme, "daily", null), 422, "missing_field");
        assertError(register(a, "vprotect-vm", acme, "daily", "../etc/passwd"), 422, "invalid_field");
        assertError(register(a, null, acme, "daily", "vm-x"), 422, "missing_field");
        assertEquals(before, f.hub.count("SELECT COUNT(*) FROM backup_instances"), "nothing registered");
    }

    @Test
    void aFrequencyChangeMustBeAValidCronOrANamedFrequency() throws Exception {
        for (String bad : List.of("", "sometimes", "0 0 * * * * * *", "0 61 * * * ?", "0 0 12 ? * MON-XYZ")) {
            assertError(f.call(f.api.putV1BackupInstancesBackupInstanceCall(shopDb, bearer(ACME),
                    new PutV1BackupInstancesBackupInstanceRequest().backupInstanceBackupFrequency(bad), null)),
                    422, bad.isEmpty() ? "missing_field" : "invalid_frequency");
        }
        assertEquals(null, f.hub.rows("SELECT backup_frequency FROM backup_instances WHERE id = " + shopDb)
                .get(0).get("backup_frequency"));
    }

    @Test
    void anUnknownDefinitionFilterIsRejected() throws Exception {
        assertError(f.call(f.api.getV1BackupInstancesCall(bearer(ACME), "no-such-definition", null)), 400, "unknown_definition");
    }

    @Test
    void datesMustBeCalendarDatesAsYearMonthDay() throws Exception {
        for (String bad : List.of("2026-13-01", "2026-02-30", "01/10/2026", "yesterday", "2026-1-1")) {
            assertError(f.get("/v1/backup_instances/" + shopDb + "/logs?date=" + bad, ACME), 400, "invalid_parameter");
            assertError(export(new PostV1BackupInstancesBackupInstanceExportsRequest().exportRunExportDatetime(bad)),
                    400, "invalid_parameter");
        }
    }

    @Test
    void exportParametersAreValidated() throws Exception {
        long before = f.hub.count("SELECT COUNT(*) FROM exports");
        assertError(export(new PostV1BackupInstancesBackupInstanceExportsRequest().exportRunBackupRunId("x")),
                400, "invalid_parameter");
        assertError(export(new PostV1BackupInstancesBackupInstanceExportsRequest().exportRunBackupRunId(987654)),
                422, "unknown_backup");
        assertError(export(new PostV1BackupInstancesBackupInstanceExportsRequest().exportRunForceFull("maybe")),
                400, "invalid_parameter");
        assertError(export(new PostV1BackupInstancesBackupInstanceExportsRequest().exportRunSendConfirmation("2")),
                400, "invalid_parameter");
        assertError(export(new PostV1BackupInstancesBackupInstanceExportsRequest().exportRunContentTypes("tar")),
                422, "invalid_field");
        assertError(export(new PostV1BackupInstancesBackupInstanceExportsRequest().exportRunExportFormats("tar,rar")),
                422, "invalid_field");
        assertEquals(before, f.hub.count("SELECT COUNT(*) FROM exports"), "nothing created");
    }

    @Test
    void aBodyThatIsNeitherAFormNorAJsonObjectIsRejected() {
        for (String body : List.of("{not json", "[1,2]", "\"text\"")) {
            assertError(f.send(f.request("/v1/backup_instances/" + shopDb).header("Authorization", bearer(ACME))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body))),
                    400, "invalid_body");
        }
    }

    @Test
    void unexpectedFailuresAnswerWithAReferenceNotAStackTrace() {
        // the catalog's table is renamed away under the API, as a broken database would
        try (var c = f.hub.catalog().dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("ALTER TABLE backup_definitions RENAME TO backup_definitions_gone");
            try {
                ApiFixture.Reply reply = f.get("/v1/backup_definitions", ACME);
                assertError(reply, 500, "internal_error");
            } finally {
                s.execute("ALTER TABLE backup_definitions_gone RENAME TO backup_definitions");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private ApiFixture.Reply register(String auth, String definition, Object customer, String frequency, String guid)
            throws Exception {
        PostV1BackupInstancesRequest body = new PostV1BackupInstancesRequest()
                .backupInstanceBackupDefinitionId(definition)
                .backupInstanceCustomerId(customer)
                .backupInstanceBackupFrequency(frequency);
        if (guid != null) {
            body.putAdditionalProperty("backup_instance[protected_entity_guid]", guid);
        }
        return f.call(f.api.postV1BackupInstancesCall(auth, body, null));
    }

    private ApiFixture.Reply export(PostV1BackupInstancesBackupInstanceExportsRequest body) throws Exception {
        return f.call(f.api.postV1BackupInstancesBackupInstanceExportsCall(shopDb, bearer(ACME), body, null));
    }
}
