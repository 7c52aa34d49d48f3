package io.backuphub.schedule;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;

import io.backuphub.TestHub;

/**
 * The catalog database a schedule test runs its hub on: the hub's default H2 file under the data dir, or, when
 * HUB_TEST_POSTGRES_URL points at a PostgreSQL server where HUB_TEST_POSTGRES_USER may create databases, a fresh
 * database there, dropped at the end.
 */
final class CatalogDatabase implements AutoCloseable {

    static final String H2 = "h2";
    static final String POSTGRESQL = "postgresql";

    private static final String SERVER = System.getenv("HUB_TEST_POSTGRES_URL");
    private static final String USER = System.getenv().getOrDefault("HUB_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv("HUB_TEST_POSTGRES_PASSWORD");

    private final String database;

    private CatalogDatabase(String database) {
        this.database = database;
    }

    /** H2 always; PostgreSQL too when a server is given. */
    static Stream<String> kinds() {
        return SERVER != null && SERVER.startsWith("jdbc:postgresql:") ? Stream.of(H2, POSTGRESQL) : Stream.of(H2);
    }

    static CatalogDatabase fresh(String kind) throws SQLException {
        if (kind.equals(H2)) {
            return new CatalogDatabase(null);
        }
        String database = "hub_schedule_" + UUID.randomUUID().toString().replace("-", "");
        admin("CREATE DATABASE " + database);
        return new CatalogDatabase(database);
    }

    /** The hub on this database (a hub on H2 keeps its catalog under its data dir). */
    TestHub.Builder hub(TestHub.Builder hub) {
        if (database == null) {
            return hub;
        }
        String url = SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database;
        hub.with("hub.db.url", url).with("hub.db.user", USER);
        return PASSWORD == null ? hub : hub.with("hub.db.password", PASSWORD);
    }

    @Override
    public void close() throws SQLException {
        if (database != null) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
