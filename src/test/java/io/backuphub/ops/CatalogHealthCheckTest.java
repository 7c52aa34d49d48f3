package io.backuphub.ops;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.backuphub.catalog.Catalog;
import io.backuphub.ops.health.CatalogHealthCheck;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
