package io.backuphub.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.backuphub.provider.ProviderFailures;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog database: {@code catalogDataSource} (pooled, its schema brought up to date with Flyway before
 * anyone gets it), {@code catalog}, {@code backupChanges} and {@code sideSteps}.
 * <p>
 * Beans here and in the other configuration classes are bound lazily: each is made on its first lookup, after
 * the beans its parameters name, so neither the order of the configuration classes nor of their methods
 * matters. Whatever uses the catalog therefore finds its schema migrated and its pool registered for shutdown.
 */
@Configuration
public class CatalogConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogConfiguration.class);

    @BindToRegistry(value = "catalogDataSource", lazy = true)
    public HikariDataSource catalogDataSource(CamelContext context,
            @PropertyInject("hub.db.url") String url,
            @PropertyInject("hub.db.user") String user,
            @PropertyInject("{{hub.db.password:}}") String password,
            @PropertyInject("hub.db.pool-size") int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("catalog");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        if (url.startsWith("jdbc:postgresql:")) {
            // a JDBC batch of INSERTs goes as multi-row INSERTs, not one round trip a row: a page of 1,000 backups
            // writes about 5,000 rows (a first sync of 100,000 backups measured 42 s without, 23-30 s with).
            // A parameter in hub.db.url wins over this default.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        Optional<H2MigrationCopy> copy = H2MigrationCopy.forUrl(url);
        copy.ifPresent(H2MigrationCopy::restoreIfCutShort);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            migrate(dataSource, copy);
            closeAfterRoutes(context, dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    @BindToRegistry(value = "catalog", lazy = true)
    public Catalog catalog(@BeanInject("catalogDataSource") HikariDataSource dataSource,
            @PropertyInject("hub.node-name") String nodeName) {
        return new Catalog(dataSource, new ObjectMapper(), Clock.systemUTC(), nodeName);
    }

    /** routes/backup-events.yaml multicasts to its side steps and carries on with its own exchange. */
    /** Filters of a page of changes, for the routes of routes/*.yaml. */
    @BindToRegistry(value = BackupChanges.BEAN, lazy = true)
    public BackupChanges backupChanges() {
        return new BackupChanges();
    }

    @BindToRegistry(value = "sideSteps", lazy = true)
    public SideSteps sideSteps() {
        return new SideSteps();
    }

    /** The catalog opens (and its schema is migrated) before any route starts, not on a route's first call. */
    @Override
    public void configure(CamelContext context) {
        context.getRegistry().lookupByNameAndType("catalog", Catalog.class);
    }

    /**
     * Brings the schema up to date (src/main/resources/db/migration) before the pool is handed to anyone; an H2
     * catalog in a file is copied first, so a migration cut short is undone at the next start ({@link H2MigrationCopy}).
     */
    private static void migrate(HikariDataSource dataSource, Optional<H2MigrationCopy> copy) {
        FluentConfiguration configuration = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration");
        copy.ifPresent(configuration::callbacks);
        Flyway flyway = configuration.load();
        MigrateResult migrated = dataSource.getJdbcUrl().startsWith("jdbc:h2:")
                ? withH2WriteDelay(dataSource, flyway::migrate) : flyway.migrate();
        copy.ifPresent(H2MigrationCopy::migrated);
        LOG.info("catalog {} at schema version {} ({} migrations applied now)",
                ProviderFailures.withoutQuery(dataSource.getJdbcUrl()), migrated.targetSchemaVersion == null
                        ? migrated.initialSchemaVersion : migrated.targetSchemaVersion, migrated.migrationsExecuted);
    }

    /**
     * Runs the migrations with H2's default write delay (500 ms) instead of hub.db.url's WRITE_DELAY=0, then writes
     * the store (CHECKPOINT) and puts the database's own delay back before the pool is handed to anyone: H2 commits
     * each DDL statement on its own, and fewer store writes make a DDL script about a fifth cheaper. The CHECKPOINT
     * puts the migrated catalog on disk before its copy from before the migrations is removed.
     */
    private static MigrateResult withH2WriteDelay(HikariDataSource dataSource,
            Supplier<MigrateResult> migration) {
        String writeDelay;
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet setting = statement.executeQuery(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                writeDelay = setting.next() ? setting.getString(1) : null;
            }
            if (writeDelay == null || !writeDelay.matches("\\d+")) {
                return migration.get();
            }
            statement.execute("SET WRITE_DELAY 500");
            try {
                return migration.get();
            } finally {
                statement.execute("SET WRITE_DELAY " + writeDelay);
                statement.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot migrate the catalog: " + e.getMessage(), e);
        }
    }

    /**
     * Closes the pool after the routes have stopped, so in-flight writes finish first. Services stop in the
     * reverse order of their adding: the services of beans made from the catalog (added later) stop before it.
     */
    private static void closeAfterRoutes(CamelContext context, HikariDataSource dataSource) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    dataSource.close();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the catalog pool with Camel", e);
        }
    }
}
