package io.backuphub.catalog;

import io.backuphub.ops.metrics.HubMetrics;
import io.backuphub.provider.SyncRun;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a provider backup enters the catalog: upsert, count, and announce the change on
 * {@code direct:backup-changed} with headers {@code hubChange, hubSource, hubProviderBackupId, hubBackupId,
 * hubInstanceId, hubStatus, hubInstanceSource, hubWarnings, hubUnknownValues} (a YAML route in routes/ decides what
 * follows). That route runs on a copy of the exchange: whatever its steps do to the body, the ingest carries on with
 * its own.
 *
 * <p>A backup with values the hub does not know (a provider added a status) is ingested all the same, with status
 * {@code unknown}; one WARN line says so when those values are new to the catalog, never again on later polls.
 */
public class CatalogIngestRoute extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogIngestRoute.class);

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
                        HubMetrics.of(exchange.getContext()).ifPresent(m -> m.backupIngested(outcome.source(),
                                outcome.change().name()));
                    }
                    // flat headers, so YAML routes can filter and log without method calls
                    exchange.getMessage().setHeader("hubChange", outcome.change().name().toLowerCase());
                    exchange.getMessage().setHeader("hubSource", outcome.source());
                    exchange.getMessage().setHeader("hubProviderBackupId", outcome.providerBackupId());
                    exchange.getMessage().setHeader("hubBackupId", outcome.backupId());
                    exchange.getMessage().setHeader("hubInstanceId", outcome.instanceId());
                    exchange.getMessage().setHeader("hubStatus", outcome.status().wireName());
                    CatalogBackup backup = exchange.getMessage().getBody(CatalogBackup.class);
                    if (!outcome.newUnknownValues().isEmpty()) {
                        LOG.warn("source={} item={} backup={} ingested with values the hub does not know: {}; "
                                        + "status={} provider_status={}", outcome.source(), outcome.providerBackupId(),
                                outcome.backupId(), String.join(", ", outcome.newUnknownValues()),
                                outcome.status().wireName(), backup.providerStatus());
                    }
                    // the instance's provider keys, for YAML filters such as ${header.hubInstanceSource[db_type]}
                    exchange.getMessage().setHeader("hubInstanceSource", backup.instanceSource());
                    // how many warnings the provider gave, so a route reads them from the catalog only when some
                    exchange.getMessage().setHeader("hubWarnings", backup.warnings().size());
                    // how many values the hub does not know were new to the catalog (0 when none or reported before)
                    exchange.getMessage().setHeader("hubUnknownValues", outcome.newUnknownValues().size());
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
