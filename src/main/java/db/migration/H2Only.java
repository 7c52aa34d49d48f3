package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.Context;

/**
 * Runs a Java migration's statements on an H2 catalog only: what they change is about how H2 stores or plans, and a
 * PostgreSQL catalog is left as it is. Not a migration itself (Flyway runs only the classes that are).
 */
final class H2Only {

    interface Statements {
        void run(Statement statement) throws SQLException;
    }

    private H2Only() {
    }

    static void run(Context context, Statements statements) throws SQLException {
        Connection connection = context.getConnection();
        if (!"h2".equals(connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT))) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statements.run(statement);
        }
    }
}
