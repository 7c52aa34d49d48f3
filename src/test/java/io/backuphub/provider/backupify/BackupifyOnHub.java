package io.backuphub.provider.backupify;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.backuphub.TestHub;
import io.backuphub.demo.backupify.BackupifySimulator;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import io.backuphub.provider.Provider;
import io.backuphub.provider.ProviderBreaker;
import io.backuphub.provider.ProviderBudget;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;

/** A test hub with one Backupify connection {@code up} polling a simulator (pages of 5, schedule never). */
final class BackupifyOnHub {

    static final String CONNECTION = "up";

    private BackupifyOnHub() {
    }

    static TestHub.Builder hub(Path dataDir, BackupifySimulator upstream) {
        return hub(dataDir, upstream.baseUrl());
    }

    /** A test hub polling the v1 API at {@code baseUrl}. */
    static TestHub.Builder hub(Path dataDir, String baseUrl) {
        String prefix = "hub.sources." + CONNECTION + ".";
        return TestHub.on(dataDir)
                .with(prefix + "provider", "backupify")
                .with(prefix + "base-url", baseUrl)
                .with(prefix + "customer", "acme")
                .with(prefix + "page-size", "5")
                .with(prefix + "schedule", TestHub.NEVER)
                .with("hub." + CONNECTION + ".requests-per-hour", "3600")
                .with("hub." + CONNECTION + ".budget-period-seconds", "3600");
    }

    /**
     * Until the hub creates the routes of its connections from their providers' templates: binds the provider,
     * creates the budget and breaker of each Backupify connection that is on, and its routes from the templates.
     */
    static TestHub withRoutes(TestHub hub) throws Exception {
        CamelContext context = hub.context();
        if (context.getRegistry().lookupByNameAndType("backupifyProvider", Provider.class) == null) {
            context.getRegistry().bind("backupifyProvider", Provider.class, new BackupifyProvider());
        }
        Connections connections = Connections.of(context);
        for (Connection c : connections.on()) {
            Provider provider = connections.providerOf(c);
            ProviderBreaker.install(context, c.name());
            context.addRoutes(provider.templates());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() throws Exception {
                    ProviderBudget.route(this, c.name(), BackupifyAccount.baseUrl(c) + "?disableStreamCache=true");
                }
            });
            for (String id : provider.templateIds()) {
                Map<String, Object> parameters = new HashMap<>(c.settings());
                parameters.put("connection", c.name());
                TemplatedRouteBuilder.builder(context, id).routeId(c.name() + id.substring(provider.id().length()))
                        .parameters(parameters).add();
            }
        }
        return hub;
    }
}
