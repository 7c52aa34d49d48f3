package io.backuphub.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hub killed inside a migration: H2 has committed the DDL that ran, Flyway has not recorded the migration. Here the
 * kill is a pool closed at that point (the same catalog on disk, reached without a second JVM);
 * CrashRecoveryIT kills a real hub in its migrations.
 */
class H2MigrationCopyTest {

    @TempDir
    Path dir;

    @Test
    void aFirstStartCutShortInItsMigrationsIsUndoneAndTheNextStartMigratesTheCatalog() throws Exception {
        H2MigrationCopy copy = copy();
        try (HikariDataSource first = pool()) {
            copy.takeBeforeMigrating(first);
            flyway(first).target("2").load().migrate();
            // V10's table made, V10 not recorded
            execute(first, "CREATE TABLE instance_logs (id BIGINT)");
        }
        assertTrue(Files.exists(copy.marker()));

        try (HikariDataSource catalog = start()) {
            assertEquals(0, flyway(catalog).load().info().pending().length);
            assertEquals(List.of("ID", "BACKUP_INSTANCE_ID", "LOGGED_AT", "LEVEL", "KIND", "BACKUP_ID", "MESSAGE"),
                    column(catalog, "SELECT column_name FROM information_schema.columns WHERE table_name = 'INSTANCE_LOGS' "
                            + "ORDER BY ordinal_position"));
        }
        assertNothingLeftBesideTheCatalog();
    }

    @Test
    void anUpgradeCutShortIsUndoneWithTheRowsTheCatalogHeldAndMigratedAgain() throws Exception {
        try (HikariDataSource old = pool()) {
            flyway(old).target("102").load().migrate();
            execute(old, "INSERT INTO backup_definitions (id, provider, name, description, created_at) "
                    + "VALUES ('kept', 'cloud66', 'Kept', 'a row from before the upgrade', CURRENT_TIMESTAMP)");
        }
        try (HikariDataSource upgrading = pool()) {
            copy().takeBeforeMigrating(upgrading);
            // V103's column added, V103 not recorded
            execute(upgrading, "ALTER TABLE copies ADD COLUMN claims INT DEFAULT 0 NOT NULL");
        }

        try (HikariDataSource catalog = start()) {
            assertEquals(0, flyway(catalog).load().info().pending().length);
            assertEquals(List.of("a row from before the upgrade"),
                    column(catalog, "SELECT description FROM backup_definitions WHERE id = 'kept'"));
        }
        assertNothingLeftBesideTheCatalog();
    }

    @Test
    void aStartWithNothingToMigrateTakesNoCopy() throws Exception {
        try (HikariDataSource catalog = start()) {
            assertEquals(0, flyway(catalog).load().info().pending().length);
        }
        // a copy would now have to be written where a folder with a file in it stands: the start would fail
        Path blocked = Files.createDirectories(dir.resolve("catalog.pre-migration.zip.part"));
        Files.writeString(blocked.resolve("in-the-way"), "");
        try (HikariDataSource catalog = start()) {
            assertEquals(0, flyway(catalog).load().info().pending().length);
        }
        assertFalse(Files.exists(dir.resolve("catalog.migrating")));
    }

    @Test
    void aCopyLeftBehindByAKillJustAfterTheMigrationsIsRemovedAtTheNextStart() throws Exception {
        try (HikariDataSource catalog = start()) {
            assertEquals(0, flyway(catalog).load().info().pending().length);
        }
        Files.writeString(dir.resolve("catalog.pre-migration.zip"), "a copy whose marker had gone");
        Files.writeString(dir.resolve("catalog.pre-migration.zip.part"), "a copy being taken");

        try (HikariDataSource catalog = start()) {
            assertNothingLeftBesideTheCatalog();
        }
    }

    @Test
    void aMigrationCutShortWhoseCopyIsGoneStopsTheStartAndSaysWhatToDo() throws Exception {
        H2MigrationCopy copy = copy();
        try (HikariDataSource first = pool()) {
            copy.takeBeforeMigrating(first);
        }
        Files.delete(dir.resolve("catalog.pre-migration.zip"));

        IllegalStateException refused = assertThrows(IllegalStateException.class, this::start);
        assertTrue(refused.getMessage().contains("cut short") && refused.getMessage().contains("catalog.migrating"),
                refused.getMessage());
        assertTrue(Files.exists(copy.marker()), "the marker stays until someone has looked");
    }

    @Test
    void aCatalogAnotherHubIsMigratingRightNowIsLeftAloneAndThisStartRefused() throws Exception {
        H2MigrationCopy copy = copy();
        try (HikariDataSource migrating = pool()) {
            copy.takeBeforeMigrating(migrating);
            flyway(migrating).target("2").load().migrate();

            IllegalStateException refused = assertThrows(IllegalStateException.class, this::start);
            assertTrue(refused.getMessage().contains("open in another hub"), refused.getMessage());
            execute(migrating, "INSERT INTO customers (name, created_at) VALUES ('still-here', CURRENT_TIMESTAMP)");
            assertEquals(List.of("still-here"), column(migrating, "SELECT name FROM customers"));
        }
        assertTrue(Files.exists(copy.marker()), "the migrating hub's marker is its own to remove");
    }

    @Test
    void onlyACatalogInAFileHasACopy() {
        assertEquals(dir.resolve("catalog.migrating"),
                H2MigrationCopy.forUrl("jdbc:h2:retry:" + dir.resolve("catalog") + ";WRITE_DELAY=0").orElseThrow().marker());
        assertEquals(dir.resolve("catalog.migrating"),
                H2MigrationCopy.forUrl("jdbc:h2:file:" + dir.resolve("catalog")).orElseThrow().marker());
        assertEquals(dir.resolve("catalog.migrating"),
                H2MigrationCopy.forUrl("jdbc:h2:" + dir.resolve("catalog")).orElseThrow().marker());
        assertFalse(H2MigrationCopy.forUrl("jdbc:h2:mem:catalog;DB_CLOSE_DELAY=-1").isPresent());
        assertFalse(H2MigrationCopy.forUrl("jdbc:h2:tcp://localhost/catalog").isPresent());
        assertFalse(H2MigrationCopy.forUrl("jdbc:postgresql://localhost/hub").isPresent());
    }

    private void assertNothingLeftBesideTheCatalog() throws Exception {
        try (var files = Files.list(dir)) {
            assertEquals(List.of("catalog.mv.db"), files.map(f -> f.getFileName().toString())
                    .filter(name -> !name.endsWith(".trace.db")).sorted().toList());
        }
    }

    /** The catalog as a hub's start opens it: put back, copied and migrated as need be. */
    private HikariDataSource start() {
        return new CatalogConfiguration().catalogDataSource(new DefaultCamelContext(), url(), "sa", "", 4);
    }

    /** The catalog's copy, as the hub's start makes it for its URL. */
    private H2MigrationCopy copy() {
        return H2MigrationCopy.forUrl(url()).orElseThrow();
    }

    private String url() {
        return "jdbc:h2:retry:" + dir.resolve("catalog") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /** A pool of its own on the catalog, as a hub in the middle of its migrations has. */
    private HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(HikariDataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
    }

    private static void execute(HikariDataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> column(HikariDataSource dataSource, String sql) throws SQLException {
        List<String> values = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
