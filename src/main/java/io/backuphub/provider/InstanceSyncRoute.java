package io.backuphub.provider;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.InstanceSource;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Syncs one backup instance from its provider now: {@code direct:instance-sync} with header
 * {@code hubInstanceId}, through the instance's connection ({@code direct:<connection>-instance-sync}). Used by the API ({@code POST .../backups}) and by per-instance schedules;
 * the result is the {@link SyncRun} in exchange property {@link SyncRun#PROPERTY}.
 */
public class InstanceSyncRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:instance-sync";
    public static final String INSTANCE_ID = "hubInstanceId";
    /** Exchange property with the {@link InstanceSource} being synced. */
    public static final String SOURCE = "backupHubInstanceSource";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("instance-sync")
                .process(exchange -> {
                    long id = exchange.getMessage().getHeader(INSTANCE_ID, Long.class);
                    InstanceSource source = exchange.getContext().getRegistry()
                            .lookupByNameAndType("catalog", Catalog.class).instanceSource(id)
                            .orElseThrow(() -> new IllegalArgumentException("no backup instance " + id));
                    if (exchange.getContext().getRoute(source.source() + "-instance-sync") == null) {
                        String prefix = Connections.of(exchange.getContext()).find(source.source())
                                .map(Connection::prefix).orElse("hub.sources." + source.source() + ".");
                        throw new IllegalStateException("source " + source.source()
                                + " is off on this hub: set its " + prefix + "* credentials");
                    }
                    exchange.setProperty(SOURCE, source);
                })
                // the instance's connection syncs it
                .toD("direct:${exchangeProperty." + SOURCE + ".source()}-instance-sync");
    }

    public static InstanceSource source(Exchange exchange) {
        return exchange.getProperty(SOURCE, InstanceSource.class);
    }
}
