package db.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.quartz.impl.jdbcjobstore.JobStoreSupport;

/**
 * The tables of Quartz's JDBC job store, from the DDL that ships in the Quartz jar for this database (H2 or
 * PostgreSQL): the schedules, their fire times and the cluster's check-ins live in the catalog, so every node shares
 * one scheduler and a schedule survives restarts. Read from the jar, not copied, so the tables are always those of
 * the Quartz version the hub runs.
 */
public class V90__Quartz_job_store extends BaseJavaMigration {

    private static final String DDL = "org/quartz/impl/jdbcjobstore/tables_%s.sql";

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        String ddl = ddl(connection.getMetaData().getDatabaseProductName());
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements(ddl)) {
                statement.execute(sql);
            }
        }
    }

    static String ddl(String databaseProduct) throws IOException {
        String name = switch (databaseProduct.toLowerCase(Locale.ROOT)) {
            case "h2" -> "h2";
            case "postgresql" -> "postgres";
            default -> throw new IllegalStateException("no Quartz job store tables for " + databaseProduct
                    + " (the hub runs on H2 or PostgreSQL)");
        };
        try (InputStream in = JobStoreSupport.class.getClassLoader().getResourceAsStream(DDL.formatted(name))) {
            if (in == null) {
                throw new IllegalStateException("the Quartz jar has no " + DDL.formatted(name));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The script's statements without its comments, its DROPs (the tables are new here) and its COMMIT (Flyway
     * commits the migration as one).
     */
    static List<String> statements(String script) {
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        return Arrays.stream(code.toString().split(";"))
                .map(String::trim)
                .filter(sql -> !sql.isEmpty())
                .filter(sql -> !sql.toUpperCase(Locale.ROOT).startsWith("DROP TABLE"))
                .filter(sql -> !sql.equalsIgnoreCase("COMMIT"))
                .toList();
    }
}
