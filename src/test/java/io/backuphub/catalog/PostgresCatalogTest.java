package io.backuphub.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.backuphub.TestHub;
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

/**
 * The same migrations and sync on a real PostgreSQL server (the catalog's multi-node database).
 * Runs when HUB_TEST_POSTGRES_URL points at a server where HUB_TEST_POSTGRES_USER may create databases;
 * the CI script starts one.
 */
@EnabledIfEnvironmentVariable(named = "HUB_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresCatalogTest {

    private static final String SERVER = System.getenv("HUB_TEST_POSTGRES_URL");
    private static final String USER = System.getenv().getOrDefault("HUB_TEST_POSTGRES_USER", "postgres");

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

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, System.getenv("HUB_TEST_POSTGRES_PASSWORD"));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
