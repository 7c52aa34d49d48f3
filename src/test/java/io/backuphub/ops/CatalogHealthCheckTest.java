package io.backuphub.ops;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.backuphub.catalog.Catalog;
import io.backuphub.ops.health.CatalogHealthCheck;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog check against a real H2 database: migrated, behind this build, or gone. */
class CatalogHealthCheckTest {

    private HikariDataSource dataSource;
    private DefaultCamelContext context;

    @BeforeEach
    void openDatabase() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:health-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        dataSource = new HikariDataSource(config);
        context = new DefaultCamelContext();
    }

    @AfterEach
    void closeDatabase() throws Exception {
        dataSource.close();
        context.close();
    }

    private HealthCheck.Result check() {
        CatalogHealthCheck check = new CatalogHealthCheck(new Catalog(dataSource, new ObjectMapper(), Clock.systemUTC(), "test"));
        check.setCamelContext(context);
        return check.call();
    }

    private void migrateTo(String version) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target(version).load().migrate();
    }

    @Test
    void aMigratedCatalogIsUpWithItsSchemaVersion() {
        migrateTo("latest");

        HealthCheck.Result result = check();

        assertEquals(HealthCheck.State.UP, result.getState(), result.getMessage().orElse(""));
        assertTrue(result.getDetails().get("schema.version").toString().matches("\\d+"));
    }

    @Test
    void aCatalogBehindThisBuildIsDownAndNamesThePendingMigrations() {
        migrateTo("1");

        HealthCheck.Result result = check();

        assertEquals(HealthCheck.State.DOWN, result.getState());
        String message = result.getMessage().orElseThrow();
        assertTrue(message.startsWith("catalog schema is behind this build: at version 1, this build needs "), message);
        assertTrue(message.endsWith("restart the hub to migrate"), message);
    }

    @Test
    void anUnreachableCatalogIsDownWithoutAStackTrace() {
        migrateTo("latest");
        dataSource.close();

        HealthCheck.Result result = check();

        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElseThrow().startsWith("catalog database is unreachable: "), result.getMessage().get());
        assertTrue(result.getError().isEmpty());
    }

    @Test
    void theMigrationsThisBuildShipsAreReadFromTheClassPathAsFlywayResolvesThem() {
        List<MigrationVersion> flyway = Arrays.stream(Flyway.configure().dataSource(dataSource)
                        .locations("classpath:db/migration").load().info().all())
                .filter(m -> m.getState().isResolved()).map(MigrationInfo::getVersion).sorted().toList();

        List<MigrationVersion> shipped = CatalogHealthCheck.shippedMigrations(getClass().getClassLoader()).stream()
                .sorted().toList();

        assertFalse(shipped.isEmpty());
        assertEquals(flyway, shipped);
    }

    @Test
    void theCheckDoesNotConnectFlywayToTheDatabaseAgainSoFlywaysDatabaseWarningsAreNotLoggedTwice() {
        migrateTo("latest");

        try (FlywayDatabaseLog log = new FlywayDatabaseLog()) {
            HealthCheck.Result result = check();

            assertEquals(HealthCheck.State.UP, result.getState(), result.getMessage().orElse(""));
            assertEquals(List.of(), log.lines(), "Flyway looked at the database again");
        }
        try (FlywayDatabaseLog log = new FlywayDatabaseLog()) {
            migrateTo("latest");
            assertFalse(log.lines().isEmpty(), "this capture sees Flyway's database messages");
        }
    }

    /**
     * Every message of Flyway's database class while open, whatever the log configuration drops (it leaves out
     * the warning that H2 is newer than Flyway verified, which is exactly the one that shows Flyway connecting).
     */
    private static final class FlywayDatabaseLog implements AutoCloseable {
        private static final String LOGGER = "org.flywaydb.core.internal.database.base.Database";
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final LoggerConfig original;
        private final AbstractAppender appender;

        FlywayDatabaseLog() {
            appender = new AbstractAppender("flyway-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
                }
            };
            appender.start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            Configuration config = context.getConfiguration();
            original = config.getLoggers().get(LOGGER);
            config.removeLogger(LOGGER);
            LoggerConfig capture = new LoggerConfig(LOGGER, Level.ALL, false);
            capture.addAppender(appender, Level.ALL, null);
            config.addLogger(LOGGER, capture);
            context.updateLoggers();
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            Configuration config = context.getConfiguration();
            config.removeLogger(LOGGER);
            if (original != null) {
                config.addLogger(LOGGER, original);
            }
            context.updateLoggers();
            appender.stop();
        }
    }
}
