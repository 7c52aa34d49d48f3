package io.backuphub.provider;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the routes of every connection that is on from its provider's route templates ({@link Provider}): the
 * route {@code <connection>-<name>} from the template {@code <provider>-<name>}, with the parameter
 * {@code connection} and the connection's settings. A connection left off gets no routes and says why: disabled,
 * or which credential properties are missing.
 */
public class ConnectionRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRoutes.class);

    @Override
    public void configure() throws Exception {
        Connections connections = Connections.of(getContext());
        Catalog catalog = getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
        for (Provider provider : connections.providers()) {
            getContext().addRoutes(provider.templates());
            if (catalog != null) {
                offer(catalog, provider);
            }
        }
        for (Connection connection : connections.all()) {
            if (!connection.enabled()) {
                LOG.info("source={} is off: {}enabled=false (set it to true to poll it)", connection.name(),
                        connection.prefix());
                continue;
            }
            if (!connection.missing().isEmpty()) {
                LOG.warn("source={} is off: no credentials. Set {} to turn it on", connection.name(),
                        connection.missingHint());
                continue;
            }
            instantiate(connections.providerOf(connection), connection);
        }
    }

    private void instantiate(Provider provider, Connection connection) {
        ProviderBreaker.install(getContext(), connection.name());
        ProviderBudget budget = ProviderBudget.install(getContext(), connection);
        provider.open(getContext(), connection);
        for (String templateId : provider.templateIds()) {
            TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(getContext(), templateId)
                    .routeId(routeId(provider, connection, templateId))
                    .parameter("connection", connection.name())
                    .parameter("budget-per-period", Integer.toString(budget.perPeriod()))
                    .parameter("budget-period-ms", Long.toString(budget.periodMillis()));
            for (Map.Entry<String, String> setting : connection.settings().entrySet()) {
                if (!setting.getValue().isBlank()) {
                    route.parameter(setting.getKey(), setting.getValue());
                }
            }
            route.add();
        }
        LOG.info("source={} is on ({} of customer {}), polling on cron '{}' from {}", connection.name(),
                provider.id(), connection.customer(), connection.settings().get("schedule"),
                connection.settings().getOrDefault("base-url", "?"));
    }

    /** Writes the provider's backup definitions and copyable endpoints into the catalog, where missing. */
    private static void offer(Catalog catalog, Provider provider) {
        try {
            write(catalog, provider);
        } catch (StatementException e) {
            if (!CatalogJdbi.isUniqueViolation(e)) {
                throw e;
            }
            // another node starting at the same moment wrote the same rows first: what is still missing goes in now
            write(catalog, provider);
        }
    }

    private static void write(Catalog catalog, Provider provider) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        catalog.jdbi().useTransaction(h -> {
            PreparedBatch definitions = h.prepareBatch("INSERT INTO backup_definitions (id, provider, name, "
                    + "description, created_at) SELECT :id, :provider, :name, :description, :now FROM (VALUES (1)) v "
                    + "WHERE NOT EXISTS (SELECT 1 FROM backup_definitions d WHERE d.id = :id)");
            for (Provider.Definition definition : provider.definitions()) {
                definitions.bind("id", definition.id())
                        .bind("provider", provider.id())
                        .bind("name", definition.name())
                        .bind("description", definition.description())
                        .bind("now", now)
                        .add();
            }
            PreparedBatch endpoints = h.prepareBatch("INSERT INTO copyable_endpoints (provider, endpoint_name) "
                    + "SELECT :provider, :endpoint FROM (VALUES (1)) v WHERE NOT EXISTS (SELECT 1 FROM copyable_endpoints e "
                    + "WHERE e.provider = :provider AND e.endpoint_name = :endpoint)");
            for (String endpoint : provider.copyableEndpoints()) {
                endpoints.bind("provider", provider.id())
                        .bind("endpoint", endpoint)
                        .add();
            }
            definitions.execute();
            endpoints.execute();
        });
    }

    /** The environment variable that overrides a property, as Camel's properties component maps it. */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The route id of a template's route for a connection: the provider id replaced by the connection's name. */
    public static String routeId(Provider provider, Connection connection, String templateId) {
        if (!templateId.startsWith(provider.id() + "-")) {
            throw new IllegalArgumentException("template " + templateId + " of provider " + provider.id()
                    + " does not start with '" + provider.id() + "-'");
        }
        return connection.name() + templateId.substring(provider.id().length());
    }
}
