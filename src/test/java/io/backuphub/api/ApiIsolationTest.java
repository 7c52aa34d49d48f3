package io.backuphub.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.backuphub.fanout.storage.StorageLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.ADMIN;
import static io.backuphub.api.ApiFixture.GLOBEX;
import static io.backuphub.api.Contract.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken object level authorization (OWASP API1): for every operation, a token of another customer gets 404
 * exactly as for an object that does not exist, changes nothing, and lists show only its own customers' objects;
 * no token or a bad one gets 401. The owner's token succeeds on the same call, so the 404 is isolation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiIsolationTest {

    private ApiFixture f;
    private Operations.Ids acme;

    @BeforeAll
    void startHubWithObjectsOfEveryKind(@TempDir Path dataDir) throws Exception {
        f = new ApiFixture(dataDir);
        long instance = f.shopDb();
        long backup = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '3'");
        long record = f.hub.count("SELECT id FROM records WHERE backup_id = " + backup + " AND name = 'shop_db_3.tar'");
        Path stored = dataDir.resolve("storage").resolve(StorageLayout.recordKey("acme", instance, backup, "shop_db_3.tar"));
        Files.createDirectories(stored.getParent());
        Files.writeString(stored, "acme's bytes");
        ExportStore exports = new ExportStore(f.hub.catalog(), Clock.systemUTC());
        long export = exports.create(instance, backup, "tar", "", null, false, false);
        exports.start(export);
        exports.complete(export, "exports/" + export + ".tar", 1, Instant.now().plus(1, ChronoUnit.HOURS));
        acme = new Operations.Ids(f.hub.count("SELECT id FROM customers WHERE name = 'acme'"), instance, backup,
                "files", record, export);
    }

    @AfterAll
    void stopHub() {
        f.close();
    }

    @Test
    void everyOperationAnswersAnotherCustomersObjectWithNotFoundAndChangesNothing() {
        long syncsBefore = f.hub.count("SELECT COUNT(*) FROM sync_runs");
        long exportsBefore = f.hub.count("SELECT COUNT(*) FROM exports");
        long instancesBefore = f.hub.count("SELECT COUNT(*) FROM backup_instances");
        List<String> leaks = new ArrayList<>();
        for (Operations.Operation op : Operations.reference(f, acme)) {
            ApiFixture.Reply reply = op.call().apply(GLOBEX);
            if (op.name().equals("GET /v1/backup_instances")) {
                reply.json().forEach(i -> {
                    if (i.get("customer_id").asLong() == acme.customer()) {
                        leaks.add(op.name() + " lists acme's instance " + i.get("id"));
                    }
                });
            } else if (op.name().equals("POST /v1/backup_instances")) {
                assertError(reply, 422, "unknown_customer");
            } else {
                assertError(reply, 404, "not_found");
            }
        }
        assertEquals(List.of(), leaks);
        assertEquals(syncsBefore, f.hub.count("SELECT COUNT(*) FROM sync_runs"), "no sync of acme's instance ran");
        assertEquals(exportsBefore, f.hub.count("SELECT COUNT(*) FROM exports"), "no export of acme's instance");
        assertEquals(instancesBefore, f.hub.count("SELECT COUNT(*) FROM backup_instances"), "no instance for acme");
        assertEquals(null, f.hub.rows("SELECT backup_frequency FROM backup_instances WHERE id = " + acme.instance())
                .get(0).get("backup_frequency"), "acme's frequency unchanged");
    }

    @Test
    void theOwnersTokenSucceedsOnTheSameCalls() {
        f.cloud66Has("stk-a", "mysql", "isolation_probe");
        for (Operations.Operation op : Operations.reference(f, acme)) {
            ApiFixture.Reply reply = op.call().apply(ACME);
            // Cloud66 has no running backups: the owner learns that, which is not the stranger's "not found"
            boolean answered = reply.status() == 200 || reply.status() == 201
                    || (op.name().endsWith("/active") && "no_active_backup".equals(reply.errorCode()));
            assertTrue(answered, () -> op.name() + " as the owner: " + reply);
        }
    }

    @Test
    void everyOperationRefusesAMissingOrUnknownToken() {
        for (Operations.Operation op : Operations.reference(f, acme)) {
            ApiFixture.Reply none = op.call().apply(null);
            assertError(none, 401, "unauthorized");
            assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"), op.name());
            assertError(op.call().apply("not-a-token"), 401, "unauthorized");
        }
    }

    @Test
    void theNeighbouringOperationsAreIsolatedToo() {
        long acmeId = acme.customer();
        ApiFixture.Reply customers = f.get("/v1/customers", GLOBEX);
        assertEquals(200, customers.status());
        assertEquals(1, customers.json().size());
        assertEquals("globex", customers.json().get(0).get("name").asText());
        assertEquals(2, f.get("/v1/customers", ADMIN).json().size(), "a * token sees every customer");

        assertError(f.get("/v1/customers/" + acmeId, GLOBEX), 404, "not_found");
        assertError(f.get("/v1/customers/" + acmeId + "/backup_instances", GLOBEX), 404, "not_found");
        assertError(f.get("/v1/backup_instances/" + acme.instance() + "/logs", GLOBEX), 404, "not_found");
        assertEquals(200, f.get("/v1/customers/" + acmeId + "/backup_instances", ACME).status());
        assertEquals(200, f.get("/v1/backup_instances/" + acme.instance() + "/logs", ACME).status());

        for (String path : List.of("/v1/ping", "/v1/customers", "/v1/customers/" + acmeId, "/v1/backup_definitions",
                "/v1/backup_definitions/cloud66-mysql", "/v1/customers/" + acmeId + "/backup_instances",
                "/v1/backup_instances/" + acme.instance() + "/logs")) {
            assertError(f.get(path, null), 401, "unauthorized");
        }
    }

    @Test
    void anOAuthClientSeesOnlyItsCustomers() {
        ApiFixture.Reply token = f.send(f.request("/oauth/token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=reporting&client_secret=reporting-secret")));
        String accessToken = token.json().get("access_token").asText();

        assertEquals(200, f.get("/v1/backup_instances/" + acme.instance(), accessToken).status());
        assertError(f.get("/v1/backup_instances/" + f.webVm(), accessToken), 404, "not_found");
        f.get("/v1/backup_instances?per_page=100", accessToken).json()
                .forEach(i -> assertEquals(acme.customer(), i.get("customer_id").asLong()));
    }

    @Test
    void anotherCustomersExportLinkDoesNotOpenThisCustomersExport() {
        // a link signed for one export does not open another: the signature covers instance and export ids
        ApiFixture.Reply acmeExport = f.get("/v1/backup_instances/" + acme.instance() + "/exports/" + acme.export(), ACME);
        String url = acmeExport.json().get("exported_data_url").asText();
        String otherExport = url.replace("/exports/" + acme.export() + "/", "/exports/" + (acme.export() + 1) + "/");
        assertError(f.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(otherExport))), 401, "invalid_signature");
    }
}
