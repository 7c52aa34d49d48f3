package io.backuphub.catalog;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.ops.deadletter.CopyBacklog;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.provider.SyncRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.VPROTECT_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.vprotectGuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same migrations, sync, copies and exports on a real PostgreSQL server (the catalog's multi-node database).
 * Runs when HUB_TEST_POSTGRES_URL points at a server where HUB_TEST_POSTGRES_USER may create databases;
 * the CI script starts one.
 */
@EnabledIfEnvironmentVariable(named = "HUB_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresCatalogTest {

    private static final String SERVER = System.getenv("HUB_TEST_POSTGRES_URL");
    private static final String USER = System.getenv().getOrDefault("HUB_TEST_POSTGRES_USER", "postgres");
    private static final String TOKEN = "postgres-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();
    private final String database = "hub_test_" + UUID.randomUUID().toString().replace("-", "");

    @BeforeEach
    void createDatabase() throws SQLException {
        admin("CREATE DATABASE " + database);
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        providers.close();
        admin("DROP DATABASE IF EXISTS " + database);
    }

    @Test
    void bothSourcesSyncIdempotentlyIntoPostgreSql() {
        String url = SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database;
        TestHub.Builder hub = providers.hubOn(dataDir).with("hub.db.url", url).with("hub.db.user", USER);
        try (TestHub first = hub.start()) {
            assertEquals(CLOUD66_BACKUPS, first.sync("cloud66").newCount());
            assertEquals(VPROTECT_BACKUPS, first.sync("vprotect").newCount());
            providers.vprotect.backup(vprotectGuid(VPROTECT_BACKUPS - 2)).setStatus("SUCCESS");
            SyncRun second = first.sync("vprotect");
            assertEquals(0, second.newCount());
            assertEquals(1, second.updatedCount());
        }
        try (TestHub restarted = hub.start()) {
            assertEquals(0, restarted.sync("cloud66").newCount());
            assertEquals(0, restarted.sync("vprotect").newCount());
            assertEquals(CLOUD66_BACKUPS + VPROTECT_BACKUPS, restarted.catalog().count("backups"));
            assertEquals(1L, restarted.count("SELECT COUNT(*) FROM backups WHERE status = 'queued'"));
        }
    }

    @Test
    void copiesAndExportsRunOnPostgreSqlAndTheApiShowsThem() throws Exception {
        String url = SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database;
        try (TestHub hub = providers.hubOn(dataDir).with("hub.db.url", url).with("hub.db.user", USER)
                .with("hub.cloud66.download-hosts", "127.0.0.1")
                .with("hub.api.clients", TOKEN + "=*")
                .with("hub.exports.build-on-request", "false")
                .start()) {
            assertTrue(hub.sync("cloud66").succeeded());
            hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);

            assertTrue(hub.count("SELECT COUNT(*) FROM copies") > 0);
            assertEquals(0, hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'"));
            assertEquals(0, CopyBacklog.pendingIn(hub.context(), "cloud66"));

            long backup = hub.count("SELECT MIN(b.id) FROM backups b JOIN records r ON r.backup_id = b.id "
                    + "WHERE b.provider = 'cloud66' AND b.status = 'completed'");
            long instance = hub.count("SELECT backup_instance_id FROM backups WHERE id = " + backup);
            String api = "http://127.0.0.1:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}")
                    + "/v1/backup_instances/" + instance;
            HttpResponse<String> requested = send(HttpRequest.newBuilder(URI.create(api + "/exports"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("export_run[backup_run_id]=" + backup)));
            assertEquals(201, requested.statusCode(), requested.body());
            long export = JSON.readTree(requested.body()).get("id").asLong();
            hub.context().createProducerTemplate().sendBody("direct:export-build-run", null);

            JsonNode built = JSON.readTree(send(HttpRequest.newBuilder(URI.create(api + "/exports/" + export)).GET()).body());
            assertEquals("completed", built.get("status").asText(), built::toString);
            JsonNode copies = JSON.readTree(send(HttpRequest.newBuilder(URI.create(api + "/backups/" + backup)).GET())
                    .body()).get("copies");
            assertTrue(copies.size() > 0, copies::toString);
            copies.forEach(copy -> assertEquals("stored", copy.get("status").asText(), copies::toString));

            // the list operations' one-statement pages (page, copies, instance check, total) on PostgreSQL
            long instances = hub.count("SELECT COUNT(*) FROM backup_instances");
            HttpResponse<String> listed = send(HttpRequest.newBuilder(URI.create(
                    api.substring(0, api.lastIndexOf('/')) + "?per_page=1")).GET());
            assertEquals(200, listed.statusCode(), listed.body());
            assertEquals(String.valueOf(instances), listed.headers().firstValue("X-Total-Count").orElseThrow());
            assertEquals(1, JSON.readTree(listed.body()).size(), listed.body());
            long backups = hub.count("SELECT COUNT(*) FROM backups WHERE backup_instance_id = " + instance);
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(api + "/backups?per_page=100")).GET());
            assertEquals(200, page.statusCode(), page.body());
            assertEquals(String.valueOf(backups), page.headers().firstValue("X-Total-Count").orElseThrow());
            JsonNode rows = JSON.readTree(page.body());
            assertEquals(backups, rows.size(), page.body());
            JsonNode listedBackup = null;
            for (JsonNode row : rows) {
                if (row.get("id").asLong() == backup) {
                    listedBackup = row;
                }
            }
            assertTrue(listedBackup != null && listedBackup.get("copies").size() == copies.size(), page::body);
            HttpResponse<String> pastTheEnd = send(HttpRequest.newBuilder(URI.create(api + "/backups?page=50")).GET());
            assertEquals("[]", pastTheEnd.body().replaceAll("\\s", ""));
            assertEquals(String.valueOf(backups), pastTheEnd.headers().firstValue("X-Total-Count").orElseThrow());
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void batchedInsertsGoAsMultiRowStatementsUnlessTheUrlSaysOtherwise() throws Exception {
        String url = SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database;
        try (TestHub hub = providers.hubOn(dataDir).with("hub.db.url", url).with("hub.db.user", USER).start();
             Connection c = hub.catalog().dataSource().getConnection()) {
            assertTrue(c.unwrap(org.postgresql.core.BaseConnection.class).getQueryExecutor()
                    .isReWriteBatchedInsertsEnabled());
        }
        try (TestHub hub = providers.hubOn(dataDir).with("hub.db.url", url + "?reWriteBatchedInserts=false")
                .with("hub.db.user", USER).start();
             Connection c = hub.catalog().dataSource().getConnection()) {
            assertFalse(c.unwrap(org.postgresql.core.BaseConnection.class).getQueryExecutor()
                    .isReWriteBatchedInsertsEnabled());
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, System.getenv("HUB_TEST_POSTGRES_PASSWORD"));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
