package io.backuphub.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every instance belongs to a connection: one left without (by a hub of V80's time) takes its provider's name. */
class InstanceSourceRequiredTest {

    private final String url = "jdbc:h2:mem:instance-source-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";

    @Test
    void anInstanceWithoutAConnectionBecomesTheProvidersAndNoNewOneCanBeWithout() throws SQLException {
        migrateTo("80");
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customers (name, created_at) VALUES ('acme', CURRENT_TIMESTAMP)");
            s.executeUpdate(instance("'vm-1'", ""));
        }

        migrateTo("latest");

        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT source FROM backup_instances WHERE source_key = 'vm-1'")) {
                rs.next();
                assertEquals("vprotect", rs.getString(1));
            }
            SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(instance("'vm-2'", "")));
            assertEquals("23502", refused.getSQLState(), "NOT NULL violation: " + refused.getMessage());
        }
    }

    private static String instance(String sourceKey, String extra) {
        return "INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source_key, source_json, "
                + "name, status, created_at, updated_at" + extra + ") VALUES ((SELECT id FROM customers), 'vprotect-vm', "
                + "'vprotect', " + sourceKey + ", '{}', 'web-01', 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";
    }

    private void migrateTo(String version) {
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target(version).load().migrate();
    }
}
