package io.backuphub.catalog;

import io.backuphub.ops.metrics.HubMetrics;
import io.backuphub.provider.SyncRun;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;

/**
 * The one way a provider backup enters the catalog: upsert, count, and announce the change on
 * {@code direct:backup-changed} with headers {@code hubChange, hubSource, hubProviderBackupId, hubBackupId,
 * hubInstanceId, hubStatus, hubInstanceSource, hubWarnings} (a YAML route in routes/ decides what follows). That route runs
 * on a copy of the exchange: whatever its steps do to the body, the ingest carries on with its own.
 */
public class CatalogIngestRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:catalog-ingest";
    /** Header with the {@link IngestOutcome} of the upsert. */
    public static final String OUTCOME = "backupHubIngestOutcome";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("catalog-ingest")
                .setHeader(OUTCOME, method("catalog", "upsertBackup"))
                .process(exchange -> {
                    IngestOutcome outcome = exchange.getMessage().getHeader(OUTCOME, IngestOutcome.class);
                    SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
                    if (run != null) {
                        run.ingested(outcome);
                    }
                    if (outcome.changed()) {
                        HubMetrics.of(exchange.getContext()).ifPresent(m -> m.backupIngested(outcome.provider(),
                                outcome.change().name()));
                    }
                    // flat headers, so YAML routes can filter and log without method calls
                    exchange.getMessage().setHeader("hubChange", outcome.change().name().toLowerCase());
                    exchange.getMessage().setHeader("hubSource", outcome.provider());
                    exchange.getMessage().setHeader("hubProviderBackupId", outcome.providerBackupId());
                    exchange.getMessage().setHeader("hubBackupId", outcome.backupId());
                    exchange.getMessage().setHeader("hubInstanceId", outcome.instanceId());
                    exchange.getMessage().setHeader("hubStatus", outcome.status().wireName());
                    CatalogBackup backup = exchange.getMessage().getBody(CatalogBackup.class);
                    // the instance's provider keys, for YAML filters such as ${header.hubInstanceSource[db_type]}
                    exchange.getMessage().setHeader("hubInstanceSource", backup.instanceSource());
                    // how many warnings the provider gave, so a route reads them from the catalog only when some
                    exchange.getMessage().setHeader("hubWarnings", backup.warnings().size());
                })
                .filter(simple("${header.hubChange} != 'unchanged'"))
                    // an event, not a request: sent InOnly, so a step that queues it (to: seda:...) never waits
                    // for a reply that no consumer gives (an enrich would send it InOut)
                    .multicast(new SideSteps())
                        .to(ExchangePattern.InOnly, "direct:backup-changed")
                    .end()
                .end();
    }
}
