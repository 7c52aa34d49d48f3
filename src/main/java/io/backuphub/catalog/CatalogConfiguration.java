package io.backuphub.catalog;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.backuphub.provider.ProviderFailures;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the catalog database (pooled), brings its schema up to date with Flyway before any route
 * starts, and binds {@code catalogDataSource}, {@code catalog} and {@code sideSteps} in the registry.
 */
public class CatalogConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("catalog");
        config.setJdbcUrl(context.resolvePropertyPlaceholders("{{hub.db.url}}"));
        config.setUsername(context.resolvePropertyPlaceholders("{{hub.db.user}}"));
        config.setPassword(context.resolvePropertyPlaceholders("{{hub.db.password}}"));
        config.setMaximumPoolSize(Integer.parseInt(context.resolvePropertyPlaceholders("{{hub.db.pool-size}}")));
        HikariDataSource dataSource = new HikariDataSource(config);

        MigrateResult migrated = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info("catalog {} at schema version {} ({} migrations applied now)",
                ProviderFailures.withoutQuery(config.getJdbcUrl()), migrated.targetSchemaVersion == null
                        ? migrated.initialSchemaVersion : migrated.targetSchemaVersion, migrated.migrationsExecuted);

        context.getRegistry().bind("catalogDataSource", dataSource);
        // routes/backup-events.yaml multicasts to its side steps and carries on with its own exchange
        context.getRegistry().bind("sideSteps", new SideSteps());
        context.getRegistry().bind("catalog", new Catalog(dataSource, new ObjectMapper(), Clock.systemUTC(),
                context.resolvePropertyPlaceholders("{{hub.node-name}}")));
        try {
            // closed after the routes have stopped, so in-flight writes finish first
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    dataSource.close();
                }
            }, true, true);
        } catch (Exception e) {
            dataSource.close();
            throw new IllegalStateException("cannot register the catalog pool with Camel", e);
        }
    }
}
