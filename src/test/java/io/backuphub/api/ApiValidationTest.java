package io.backuphub.api;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.backuphub.api.client.model.ExportRequestForm;
import io.backuphub.api.client.model.InstanceChangeForm;
import io.backuphub.api.client.model.InstanceRegistrationForm;
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
            // ids the typed client cannot hold: the same requests, built by its invoker
            String id = f.api.getApiClient().escapeString(bad);
            String instance = "/v1/backup_instances/" + id;
            String ofShopDb = "/v1/backup_instances/" + shopDb;
            assertError(f.call(f.rawCall(a, "GET", instance, null)), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "PUT", instance,
                    new InstanceChangeForm().backupInstanceBackupFrequency("daily"))), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "GET", instance + "/backups", null)), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "POST", instance + "/backups", null)), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "GET", instance + "/backups/active", null)), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "GET", ofShopDb + "/backups/" + id, null)), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "GET", instance + "/endpoints", null)), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "GET", ofShopDb + "/endpoints/files/records/" + id, null)),
                    400, "invalid_parameter");
            assertError(f.call(f.rawCall(null, "GET", ofShopDb + "/endpoints/files/records/" + id + "/blob", null,
                    Map.of("Access-Token", ACME))), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "GET", instance + "/exports", null)), 400, "invalid_parameter");
            assertError(f.call(f.rawCall(a, "GET", ofShopDb + "/exports/" + id, null)), 400, "invalid_parameter");
            assertError(f.send(f.request("/v1/backup_instances/" + shopDb + "/exports/" + bad + "/reauth")
                    .header("Authorization", a).POST(HttpRequest.BodyPublishers.noBody())), 400, "invalid_parameter");
            assertError(f.get("/v1/customers/" + bad, ACME), 400, "invalid_parameter");
        }
    }

    @Test
    void unknownObjectsAreNotFound() throws Exception {
        String a = bearer(ACME);
        assertError(f.call(f.api(a).getV1BackupInstancesBackupInstanceCall(987654L, null)), 404, "not_found");
        assertError(f.call(f.api(a).getV1BackupInstancesBackupInstanceBackupsBackupCall(shopDb, 987654L, null)), 404, "not_found");
        assertError(f.call(f.api(a).getV1BackupInstancesBackupInstanceEndpointsEndpointNameCall(shopDb, "nope", null)),
                404, "not_found");
        assertError(f.call(f.api(a).getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsCall(shopDb, "nope", null, null, null)),
                404, "not_found");
        assertError(f.call(f.api(a).getV1BackupInstancesBackupInstanceExportsExportCall(shopDb, 987654L, null)), 404, "not_found");
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
            assertError(f.call(f.api(bearer(ACME)).putV1BackupInstancesBackupInstanceCall(shopDb,
                    new InstanceChangeForm().backupInstanceBackupFrequency(bad), null)),
                    422, bad.isEmpty() ? "missing_field" : "invalid_frequency");
        }
        assertEquals(null, f.hub.rows("SELECT backup_frequency FROM backup_instances WHERE id = " + shopDb)
                .get(0).get("backup_frequency"));
    }

    @Test
    void anUnknownDefinitionFilterIsRejected() throws Exception {
        assertError(f.call(f.api(bearer(ACME)).getV1BackupInstancesCall("no-such-definition", null, null, null)), 400, "unknown_definition");
    }

    @Test
    void datesMustBeCalendarDatesAsYearMonthDay() throws Exception {
        for (String bad : List.of("2026-13-01", "2026-02-30", "01/10/2026", "yesterday", "2026-1-1")) {
            assertError(f.get("/v1/backup_instances/" + shopDb + "/logs?date=" + bad, ACME), 400, "invalid_parameter");
            assertError(export(new ExportRequestForm().putAdditionalProperty("export_run[export_datetime]", bad)),
                    400, "invalid_parameter");
        }
    }

    @Test
    void exportParametersAreValidated() throws Exception {
        long before = f.hub.count("SELECT COUNT(*) FROM exports");
        assertError(export(new ExportRequestForm().putAdditionalProperty("export_run[backup_run_id]", "x")),
                400, "invalid_parameter");
        assertError(export(new ExportRequestForm().exportRunBackupRunId(987654L)),
                422, "unknown_backup");
        assertError(export(new ExportRequestForm().putAdditionalProperty("export_run[force_full]", "maybe")),
                400, "invalid_parameter");
        assertError(export(new ExportRequestForm().putAdditionalProperty("export_run[send_confirmation]", "2")),
                400, "invalid_parameter");
        assertError(export(new ExportRequestForm().exportRunContentTypes("tar")),
                422, "invalid_field");
        assertError(export(new ExportRequestForm().exportRunExportFormats("tar,rar")),
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
        InstanceRegistrationForm body = new InstanceRegistrationForm()
                .backupInstanceBackupDefinitionId(definition)
                .backupInstanceBackupFrequency(frequency);
        if (customer instanceof Number id) {
            body.backupInstanceCustomerId(id.longValue());
        } else {
            // not a number: what the typed field cannot hold goes as the same JSON field
            body.putAdditionalProperty("backup_instance[customer_id]", customer);
        }
        if (guid != null) {
            body.backupInstanceProtectedEntityGuid(guid);
        }
        return f.call(f.api(auth).postV1BackupInstancesCall(body, null));
    }

    private ApiFixture.Reply export(ExportRequestForm body) throws Exception {
        return f.call(f.api(bearer(ACME)).postV1BackupInstancesBackupInstanceExportsCall(shopDb, body, null));
    }
}
