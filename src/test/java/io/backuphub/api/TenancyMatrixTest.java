package io.backuphub.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.backuphub.catalog.BackupStatus;
import io.backuphub.catalog.BackupType;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.ADMIN;
import static io.backuphub.api.ApiFixture.GLOBEX;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenancy: every operation of the v1 API, called with one customer's token on every kind of object of another
 * customer (in the catalog, or only at the provider and not polled yet), answers no 2xx and exactly what it
 * answers for an object that does not exist. An instance belongs to the customer of the provider account that
 * has it (acme = Cloud66, globex = vProtect), whoever tries to register it, and polling keeps it there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// the two tests that poll add backups newer than the hub's cursor, in this order
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenancyMatrixTest {

    private static final long MISSING = 987_654_321L;

    private ApiFixture f;
    private Operations.Ids acme;
    private Operations.Ids globex;
    private Operations.Ids missing;

    @BeforeAll
    void startHubWithObjectsOfBothCustomers(@TempDir Path dataDir) {
        f = new ApiFixture(dataDir);
        ExportStore exports = new ExportStore(f.hub.catalog(), Clock.systemUTC());

        long shopDb = f.shopDb();
        long acmeBackup = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '3'");
        long acmeRecord = f.hub.count("SELECT MIN(id) FROM records WHERE backup_id = " + acmeBackup);
        String acmeEndpoint = endpointOf(acmeRecord);
        acme = new Operations.Ids(customer("acme"), shopDb, acmeBackup, acmeEndpoint, acmeRecord,
                completedExport(exports, shopDb, acmeBackup));

        long webVm = f.webVm();
        long globexBackup = f.hub.count("SELECT MIN(b.id) FROM backups b JOIN records r ON r.backup_id = b.id "
                + "WHERE b.backup_instance_id = " + webVm);
        long globexRecord = f.hub.count("SELECT MIN(id) FROM records WHERE backup_id = " + globexBackup);
        globex = new Operations.Ids(customer("globex"), webVm, globexBackup, endpointOf(globexRecord), globexRecord,
                completedExport(exports, webVm, globexBackup));

        missing = new Operations.Ids(MISSING, MISSING, MISSING, globex.endpoint(), MISSING, MISSING);
    }

    @AfterAll
    void stopHub() {
        f.close();
    }

    @Test
    void everyOperationOnAnotherCustomersObjectsAnswersExactlyAsForObjectsThatDoNotExist() {
        long syncs = f.hub.count("SELECT COUNT(*) FROM sync_runs");
        long exports = f.hub.count("SELECT COUNT(*) FROM exports");
        long instances = f.hub.count("SELECT COUNT(*) FROM backup_instances");
        List<String> leaks = new ArrayList<>();
        Map<String, Function<String, ApiFixture.Reply>> theirs = operations(globex, acme);
        Map<String, Function<String, ApiFixture.Reply>> none = operations(missing, acme);
        assertEquals(theirs.keySet(), none.keySet());
        for (String name : theirs.keySet()) {
            ApiFixture.Reply other = theirs.get(name).apply(ACME);
            ApiFixture.Reply absent = none.get(name).apply(ACME);
            if (other.status() / 100 == 2) {
                leaks.add(name + " answered " + other);
            } else if (other.status() != absent.status() || !java.util.Objects.equals(other.errorCode(), absent.errorCode())) {
                leaks.add(name + ": another customer's object " + other + " but a missing one " + absent);
            }
        }
        assertEquals(List.of(), leaks);
        assertEquals(syncs, f.hub.count("SELECT COUNT(*) FROM sync_runs"), "no backup of globex's instance ran");
        assertEquals(exports, f.hub.count("SELECT COUNT(*) FROM exports"), "no export of globex's instance");
        assertEquals(instances, f.hub.count("SELECT COUNT(*) FROM backup_instances"), "nothing registered");
        assertEquals(null, f.hub.rows("SELECT backup_frequency FROM backup_instances WHERE id = " + globex.instance())
                .get(0).get("backup_frequency"), "globex's frequency unchanged");
    }

    @Test
    void theOtherCustomerTheOtherWayRoundIsAnsweredTheSameWay() {
        List<String> leaks = new ArrayList<>();
        Map<String, Function<String, ApiFixture.Reply>> theirs = operations(acme, globex);
        Map<String, Function<String, ApiFixture.Reply>> none = operations(missing, globex);
        for (String name : theirs.keySet()) {
            ApiFixture.Reply other = theirs.get(name).apply(GLOBEX);
            ApiFixture.Reply absent = none.get(name).apply(GLOBEX);
            if (other.status() / 100 == 2 || other.status() != absent.status()
                    || !java.util.Objects.equals(other.errorCode(), absent.errorCode())) {
                leaks.add(name + ": " + other + " / missing: " + absent);
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void listsAndDefinitionsShowNoObjectOfAnotherCustomer() {
        for (String path : List.of("/v1/backup_instances?per_page=100", "/v1/customers?per_page=100",
                "/v1/backup_instances?backup_definition_id=vprotect-vm&per_page=100",
                "/v1/customers/" + acme.customer() + "/backup_instances?per_page=100")) {
            ApiFixture.Reply reply = f.get(path, ACME);
            assertEquals(200, reply.status(), reply::toString);
            reply.json().forEach(o -> assertEquals(acme.customer(),
                    o.has("customer_id") ? o.get("customer_id").asLong() : o.get("id").asLong(), path));
        }
        // definitions are the hub's catalogue of kinds, the same for every customer, with no customer's data
        assertEquals(f.get("/v1/backup_definitions", ADMIN).body(), f.get("/v1/backup_definitions", ACME).body());
        assertEquals(200, f.get("/v1/backup_definitions/vprotect-vm", ACME).status());
    }

    @Test
    @Order(1)
    void aCustomerCannotRegisterAnotherCustomersProviderEntityNorReadItsBackups() throws Exception {
        // globex's vProtect entity with 15 backups, newer than the hub's cursor: not in the catalog yet
        String guid = "4b1c0e0a-0000-4000-8000-000000000002";
        f.providers.vprotect.addProtectedEntity(guid, "globex-files", "VM");
        Instant first = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 15; i++) {
            f.providers.vprotect.addBackup(guid, guid + "-backup-" + i, "SUCCESS", i == 0 ? "FULL" : "INCREMENTAL",
                    first.plus(i, ChronoUnit.MINUTES), 1_000L + i);
        }
        long instances = f.hub.count("SELECT COUNT(*) FROM backup_instances");

        ApiFixture.Reply stolen = registerVm(ACME, acme.customer(), guid);
        ApiFixture.Reply nowhere = registerVm(ACME, acme.customer(), "4b1c0e0a-0000-4000-8000-00000000ffff");
        assertError(stolen, 422, "unknown_provider_object");
        assertSameAnswer(stolen, guid, nowhere, "4b1c0e0a-0000-4000-8000-00000000ffff");
        assertEquals(instances, f.hub.count("SELECT COUNT(*) FROM backup_instances"), "acme registered nothing");
        assertEquals(0, f.hub.count("SELECT COUNT(*) FROM backup_instances WHERE source_key = '" + guid + "'"));

        // globex's own poll ingests the entity under globex, with all of its backups
        assertTrue(f.hub.sync("vprotect").succeeded());
        assertEquals(1, f.hub.count("SELECT COUNT(*) FROM backup_instances WHERE source_key = '" + guid + "'"));
        long instance = f.hub.count("SELECT id FROM backup_instances WHERE source_key = '" + guid + "'");
        assertEquals(globex.customer(), f.hub.count("SELECT customer_id FROM backup_instances WHERE id = " + instance));
        assertEquals(15, f.hub.count("SELECT COUNT(*) FROM backups WHERE backup_instance_id = " + instance));
        ApiFixture.Reply own = f.get("/v1/backup_instances/" + instance + "/backups?per_page=100", GLOBEX);
        assertEquals(15, own.json().size(), own::toString);

        // now that the catalog has it, acme's registration is answered exactly as before: no 409 that tells
        ApiFixture.Reply again = registerVm(ACME, acme.customer(), guid);
        assertSameAnswer(again, guid, nowhere, "4b1c0e0a-0000-4000-8000-00000000ffff");
        // and acme reads nothing of it: the instance, its backups, a run, its manifest records and blob
        long backup = f.hub.count("SELECT MIN(id) FROM backups WHERE backup_instance_id = " + instance);
        long record = f.hub.count("SELECT MIN(id) FROM records WHERE backup_id = " + backup);
        String base = "/v1/backup_instances/" + instance;
        for (String path : List.of(base, base + "/backups", base + "/backups/" + backup, base + "/endpoints",
                base + "/endpoints/manifest/records", base + "/endpoints/manifest/records/" + record,
                base + "/endpoints/manifest/records/" + record + "/blob", base + "/logs")) {
            assertError(f.get(path, ACME), 404, "not_found");
        }
        assertError(post(base + "/backups", "", ACME), 404, "not_found");
        assertEquals(15, f.hub.count("SELECT COUNT(*) FROM backups WHERE backup_instance_id = " + instance),
                "no backup ran for acme");
        assertEquals(200, f.get(base + "/endpoints/manifest/records/" + record, GLOBEX).status(), "the owner reads it");
    }

    @Test
    void registeringAnotherCustomersObjectAnswersAsForOneThatExistsNowhere() throws Exception {
        f.vprotectHas("vm-unpolled", "VM", "SUCCESS");
        f.cloud66Has("stk-a", "mysql", "unpolled_db");
        String polledGuid = f.hub.rows("SELECT source_key FROM backup_instances WHERE id = " + globex.instance())
                .get(0).get("source_key").toString();
        long instances = f.hub.count("SELECT COUNT(*) FROM backup_instances");

        // acme on globex's vProtect account: at the provider only, in the catalog, nowhere
        ApiFixture.Reply nowhere = registerVm(ACME, acme.customer(), "vm-nowhere");
        assertError(nowhere, 422, "unknown_provider_object");
        assertSameAnswer(registerVm(ACME, acme.customer(), "vm-unpolled"), "vm-unpolled", nowhere, "vm-nowhere");
        assertSameAnswer(registerVm(ACME, acme.customer(), polledGuid), polledGuid, nowhere, "vm-nowhere");
        // the owner asking for one that exists nowhere gets the same code and message
        assertSameAnswer(registerVm(GLOBEX, globex.customer(), "vm-nowhere"), "vm-nowhere", nowhere, "vm-nowhere");

        // globex on acme's Cloud66 account: at the provider only, in the catalog, nowhere
        ApiFixture.Reply noStack = registerDb(GLOBEX, globex.customer(), "no-such-stack", "shop_db");
        assertError(noStack, 422, "unknown_provider_object");
        assertSameAnswer(registerDb(GLOBEX, globex.customer(), "stk-a", "unpolled_db"), "stk-a", noStack, "no-such-stack");
        assertSameAnswer(registerDb(GLOBEX, globex.customer(), "stk-a", "shop_db"), "stk-a", noStack, "no-such-stack");
        assertSameAnswer(registerDb(ACME, acme.customer(), "no-such-stack", "shop_db"), "no-such-stack", noStack,
                "no-such-stack");

        // a customer it does not see is one that does not exist
        ApiFixture.Reply invisible = registerVm(ACME, globex.customer(), "vm-unpolled");
        assertError(invisible, 422, "unknown_customer");
        assertError(registerVm(ACME, MISSING, "vm-unpolled"), 422, "unknown_customer");
        assertEquals(instances, f.hub.count("SELECT COUNT(*) FROM backup_instances"), "nothing registered");
    }

    @Test
    void onlyTheCustomersOwnInstanceAnswersAlreadyRegistered() throws Exception {
        String polledGuid = f.hub.rows("SELECT source_key FROM backup_instances WHERE id = " + globex.instance())
                .get(0).get("source_key").toString();
        assertError(registerVm(GLOBEX, globex.customer(), polledGuid), 409, "already_registered");
        assertError(registerDb(ACME, acme.customer(), "stk-a", "shop_db"), 409, "already_registered");
        assertError(registerVm(ADMIN, globex.customer(), polledGuid), 409, "already_registered");
    }

    @Test
    void anAdminTokenRegistersOnlyForTheCustomerOfTheProviderAccount() throws Exception {
        f.vprotectHas("vm-admin", "VM", "SUCCESS");
        ApiFixture.Reply wrong = registerVm(ADMIN, acme.customer(), "vm-admin");
        assertError(wrong, 422, "customer_mismatch");
        assertTrue(wrong.json().path("error").path("message").asText().contains("'globex'"), wrong::toString);
        assertEquals(0, f.hub.count("SELECT COUNT(*) FROM backup_instances WHERE source_key = 'vm-admin'"));

        ApiFixture.Reply right = registerVm(ADMIN, globex.customer(), "vm-admin");
        assertEquals(201, right.status(), right::toString);
        assertEquals(globex.customer(), right.json().get("customer_id").asLong());
    }

    @Test
    @Order(2)
    void anInstanceRegisteredUnderAnotherCustomerDoesNotCaptureTheAccountsPolledBackups() throws Exception {
        // as the catalog could hold it from before registration checked ownership: acme's instance of a
        // guid of globex's vProtect account
        String guid = "vm-registered-by-acme";
        f.providers.vprotect.addProtectedEntity(guid, guid, "VM");
        try (var c = f.hub.catalog().dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source, source_key, "
                    + "source_json, name, status, created_at, updated_at) VALUES (" + acme.customer() + ", "
                    + "'vprotect-vm', 'vprotect', 'vprotect', '" + guid + "', '{\"protected_entity_guid\":\"" + guid + "\"}', "
                    + "'" + guid + "', 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        long foreign = f.hub.count("SELECT id FROM backup_instances WHERE source_key = '" + guid + "'");
        Instant at = Instant.now().minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        f.providers.vprotect.addBackup(guid, guid + "-1", "SUCCESS", "FULL", at, 10L);
        f.providers.vprotect.addBackup(guid, guid + "-2", "SUCCESS", "INCREMENTAL", at.plusSeconds(60), 10L);

        assertTrue(f.hub.sync("vprotect").succeeded());

        assertEquals(0, f.hub.count("SELECT COUNT(*) FROM backups WHERE backup_instance_id = " + foreign),
                "acme's instance captured nothing");
        long own = f.hub.count("SELECT id FROM backup_instances WHERE source_key = '" + guid + "' AND customer_id = "
                + globex.customer());
        assertEquals(2, f.hub.count("SELECT COUNT(*) FROM backups WHERE backup_instance_id = " + own));
        assertEquals(acme.customer(), f.hub.count("SELECT customer_id FROM backup_instances WHERE id = " + foreign),
                "the poll moved no instance between customers");
        assertEquals(0, f.get("/v1/backup_instances/" + foreign + "/backups", ACME).json().size());
    }

    @Test
    void aBackupHeldByAnotherCustomersInstanceGoesBackToTheAccountsCustomerWhenPolledAgain() throws Exception {
        String guid = "vm-reclaimed";
        CatalogBackup polled = new CatalogBackup("vprotect", "globex", "vprotect-vm", "vProtect VM", guid, guid,
                Map.of("protected_entity_guid", guid), guid + "-1", BackupStatus.COMPLETED, BackupType.FULL,
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(2), OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1),
                10L, List.of(), null, "fingerprint-1", List.of(new CatalogRecord("manifest", "The backup's details",
                "manifest", "manifest.json", "application/json", 10L)), "SUCCESS", List.of());
        long backup = f.hub.catalog().upsertBackup(polled).backupId();
        long own = f.hub.count("SELECT backup_instance_id FROM backups WHERE id = " + backup);
        // as a catalog from before registration checked ownership could hold it: under acme's instance
        try (var c = f.hub.catalog().dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source, source_key, "
                    + "source_json, name, status, created_at, updated_at) VALUES (" + acme.customer() + ", "
                    + "'vprotect-vm', 'vprotect', 'vprotect', '" + guid + "', '{}', 'stolen', 'active', CURRENT_TIMESTAMP, "
                    + "CURRENT_TIMESTAMP)");
            long foreign = f.hub.count("SELECT id FROM backup_instances WHERE name = 'stolen'");
            s.executeUpdate("UPDATE backups SET backup_instance_id = " + foreign + " WHERE id = " + backup);
            s.executeUpdate("UPDATE records SET backup_instance_id = " + foreign + " WHERE backup_id = " + backup);
        }
        long foreign = f.hub.count("SELECT id FROM backup_instances WHERE name = 'stolen'");

        f.hub.catalog().upsertBackup(polled);

        assertEquals(own, f.hub.count("SELECT backup_instance_id FROM backups WHERE id = " + backup));
        assertEquals(0, f.hub.count("SELECT COUNT(*) FROM records WHERE backup_instance_id = " + foreign));
        assertEquals(200, f.get("/v1/backup_instances/" + own + "/endpoints/manifest/records", GLOBEX).status());
        assertEquals(0, f.get("/v1/backup_instances/" + foreign + "/backups", ACME).json().size());
        assertEquals(acme.customer(), f.hub.count("SELECT customer_id FROM backup_instances WHERE id = " + foreign));
    }

    @Test
    void aSignedDownloadLinkOpensOnlyTheExportItWasSignedFor() {
        String url = f.get("/v1/backup_instances/" + acme.instance() + "/exports/" + acme.export(), ACME).json()
                .get("exported_data_url").asText();
        String acmePath = "/v1/backup_instances/" + acme.instance() + "/exports/" + acme.export() + "/";
        ApiFixture.Reply theirs = f.send(HttpRequest.newBuilder(URI.create(url.replace(acmePath,
                "/v1/backup_instances/" + globex.instance() + "/exports/" + globex.export() + "/"))));
        ApiFixture.Reply none = f.send(HttpRequest.newBuilder(URI.create(url.replace(acmePath,
                "/v1/backup_instances/" + MISSING + "/exports/" + MISSING + "/"))));
        assertError(theirs, 401, "invalid_signature");
        assertError(none, 401, "invalid_signature");
        // without any signature, another customer's export and a missing one look the same
        ApiFixture.Reply unsigned = f.get("/v1/backup_instances/" + globex.instance() + "/exports/" + globex.export()
                + "/download", ACME);
        ApiFixture.Reply unsignedNone = f.get("/v1/backup_instances/" + MISSING + "/exports/" + MISSING + "/download", ACME);
        assertEquals(unsignedNone.status(), unsigned.status());
        assertEquals(unsignedNone.errorCode(), unsigned.errorCode());
        assertTrue(unsigned.status() / 100 != 2, unsigned::toString);
    }

    // ---------------------------------------------------------------- the operations

    /**
     * Every operation of the API on {@code theirs} (another customer's objects); {@code mine} supplies the
     * caller's own objects where an operation combines both (an own instance with their backup, record or export;
     * a restore of their export into an own instance, or of an own export into their instance).
     */
    private Map<String, Function<String, ApiFixture.Reply>> operations(Operations.Ids theirs, Operations.Ids mine) {
        Map<String, Function<String, ApiFixture.Reply>> ops = new LinkedHashMap<>();
        for (Operations.Operation op : Operations.reference(f, theirs)) {
            if (!op.name().equals("GET /v1/backup_instances")) {
                ops.put(op.name(), op.call());
            }
        }
        String instance = "/v1/backup_instances/" + theirs.instance();
        String own = "/v1/backup_instances/" + mine.instance();
        ops.put("GET /v1/customers/{id}", t -> f.get("/v1/customers/" + theirs.customer(), t));
        ops.put("GET /v1/customers/{id}/backup_instances", t -> f.get("/v1/customers/" + theirs.customer()
                + "/backup_instances", t));
        ops.put("GET .../logs", t -> f.get(instance + "/logs", t));
        ops.put("PUT .../{id} (schedule)", t -> f.send(f.request(instance).header("Authorization", bearer(t))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("backup_instance[backup_frequency]=0+0+3+*+*+%3F"))));
        ops.put("GET own .../backups/{their backup}", t -> f.get(own + "/backups/" + theirs.backup(), t));
        ops.put("GET own .../records/{their record}", t -> f.get(own + "/endpoints/" + mine.endpoint() + "/records/"
                + theirs.record(), t));
        ops.put("GET own .../records/{their record}/blob", t -> f.get(own + "/endpoints/" + mine.endpoint()
                + "/records/" + theirs.record() + "/blob", t));
        ops.put("GET own .../exports/{their export}", t -> f.get(own + "/exports/" + theirs.export(), t));
        ops.put("POST .../exports/{id}/restore (theirs as source)", t -> post(instance + "/exports/" + theirs.export()
                + "/restore", "restore[backup_instance_id]=" + acme.instance() + "&restore[group]=1", t));
        ops.put("POST .../exports/{id}/restore (theirs as target)", t -> post(own + "/exports/" + mine.export()
                + "/restore", "restore[backup_instance_id]=" + theirs.instance() + "&restore[group]=1", t));
        ops.put("GET .../exports/{id}/download (no link)", t -> f.get(instance + "/exports/" + theirs.export()
                + "/download", t));
        return ops;
    }

    private ApiFixture.Reply registerVm(String token, long customer, String guid) {
        return post("/v1/backup_instances", "backup_instance[backup_definition_id]=vprotect-vm"
                + "&backup_instance[customer_id]=" + customer + "&backup_instance[backup_frequency]=manual"
                + "&backup_instance[protected_entity_guid]=" + guid, token);
    }

    private ApiFixture.Reply registerDb(String token, long customer, String stack, String database) {
        return post("/v1/backup_instances", "backup_instance[backup_definition_id]=cloud66-mysql"
                + "&backup_instance[customer_id]=" + customer + "&backup_instance[backup_frequency]=manual"
                + "&backup_instance[stack_uid]=" + stack + "&backup_instance[database_name]=" + database, token);
    }

    private ApiFixture.Reply post(String path, String form, String token) {
        return f.send(f.request(path).header("Authorization", bearer(token))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** Same status, code and message, but for the key the caller sent. */
    private static void assertSameAnswer(ApiFixture.Reply reply, String key, ApiFixture.Reply reference, String referenceKey) {
        assertEquals(reference.status(), reply.status(), reply::toString);
        assertEquals(reference.errorCode(), reply.errorCode(), reply::toString);
        assertEquals(reference.json().path("error").path("message").asText().replace(referenceKey, "<key>"),
                reply.json().path("error").path("message").asText().replace(key, "<key>"), reply::toString);
    }

    private long customer(String name) {
        return f.hub.count("SELECT id FROM customers WHERE name = '" + name + "'");
    }

    private String endpointOf(long record) {
        return f.hub.rows("SELECT endpoint_name FROM records WHERE id = " + record).get(0).get("endpoint_name").toString();
    }

    private long completedExport(ExportStore exports, long instance, long backup) {
        long export = exports.create(instance, backup, "tar", "", null, false, false);
        exports.start(export);
        exports.complete(export, "exports/" + export + ".tar", 1, Instant.now().plus(1, ChronoUnit.HOURS));
        return export;
    }
}
