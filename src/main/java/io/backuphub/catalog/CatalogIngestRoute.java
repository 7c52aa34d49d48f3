package io.backuphub.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backuphub.ops.metrics.HubMetrics;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way provider backups enter the catalog: a page ({@code List<CatalogBackup>}, or one {@link CatalogBackup})
 * is written in one transaction ({@link Catalog#ingestPage}), counted, and its changes announced ONCE on
 * {@code direct:backups-changed}: the body is the page's {@code List<BackupChange>} (new and updated backups only),
 * with headers {@code hubSource} (the connection), {@code hubNew}, {@code hubUpdated} and {@code hubChanges} (counts).
 * A YAML route in routes/ decides what follows. That route runs on a copy of the exchange: whatever its steps do to
 * the body, the ingest carries on with its own.
 *
 * <p>A backup with values the hub does not know (a provider added a status) is ingested all the same, with status
 * {@code unknown}; one WARN line says so when those values are new to the catalog, never again on later polls.
 */
public class CatalogIngestRoute extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogIngestRoute.class);

    public static final String ENDPOINT = "direct:catalog-ingest";
    /** Header with the {@link IngestOutcome} of a single backup's ingest (the body was one {@link CatalogBackup}). */
    public static final String OUTCOME = "backupHubIngestOutcome";
    /** Header with the page's {@code List<IngestOutcome>}, in the page's order. */
    public static final String OUTCOMES = "backupHubIngestOutcomes";
    /** Where a page's changes are announced, once per page. */
    public static final String CHANGED = "direct:backups-changed";
    private static final String CHANGES = "backupHubChanges";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("catalog-ingest")
                .process(CatalogIngestRoute::ingest)
                .filter(exchange -> !exchange.getProperty(CHANGES, List.class).isEmpty())
                    // an event, not a request: sent InOnly, so a step that queues it (to: seda:...) never waits
                    // for a reply that no consumer gives (an enrich would send it InOut)
                    .multicast(new SideSteps())
                        .onPrepare(CatalogIngestRoute::announce)
                        .to(ExchangePattern.InOnly, CHANGED)
                    .end()
                .end()
                .removeProperty(CHANGES);
    }

    private static void ingest(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        boolean single = body instanceof CatalogBackup;
        @SuppressWarnings("unchecked")
        List<CatalogBackup> page = single ? List.of((CatalogBackup) body) : exchange.getMessage().getBody(List.class);
        Catalog catalog = exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
        List<IngestOutcome> outcomes = catalog.ingestPage(page);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run != null) {
            run.ingested(outcomes);
        }
        // the outcomes are of the distinct backups of the page, in its order: match them by key
        Map<String, CatalogBackup> byKey = new HashMap<>();
        page.forEach(b -> byKey.put(b.source() + '\n' + b.providerBackupId(), b));
        List<BackupChange> changes = new ArrayList<>();
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (IngestOutcome outcome : outcomes) {
            if (!outcome.changed()) {
                continue;
            }
            CatalogBackup backup = byKey.get(outcome.source() + '\n' + outcome.providerBackupId());
            changes.add(BackupChange.of(outcome, backup));
            counts.computeIfAbsent(outcome.source(), s -> new long[2])[outcome.change() == IngestOutcome.Change.NEW ? 0 : 1]++;
            if (!outcome.newUnknownValues().isEmpty()) {
                LOG.warn("source={} item={} backup={} ingested with values the hub does not know: {}; "
                                + "status={} provider_status={}", outcome.source(), outcome.providerBackupId(),
                        outcome.backupId(), String.join(", ", outcome.newUnknownValues()),
                        outcome.status().wireName(), backup.providerStatus());
            }
        }
        HubMetrics.of(exchange.getContext()).ifPresent(m -> counts.forEach((source, n) -> {
            m.backupsIngested(source, "new", n[0]);
            m.backupsIngested(source, "updated", n[1]);
        }));
        if (single) {
            exchange.getMessage().setHeader(OUTCOME, outcomes.get(0));
        }
        exchange.getMessage().setHeader(OUTCOMES, outcomes);
        exchange.setProperty(CHANGES, changes);
    }

    /** The copy sent to {@code direct:backups-changed}: the page's changes as its body, counts as headers. */
    private static void announce(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<BackupChange> changes = exchange.getProperty(CHANGES, List.class);
        exchange.removeProperty(CHANGES);
        exchange.getMessage().setBody(changes);
        exchange.getMessage().removeHeader(OUTCOMES);
        exchange.getMessage().removeHeader(OUTCOME);
        exchange.getMessage().setHeader("hubSource", changes.get(0).source());
        exchange.getMessage().setHeader("hubChanges", changes.size());
        exchange.getMessage().setHeader("hubNew", changes.stream().filter(c -> c.change().equals("new")).count());
        exchange.getMessage().setHeader("hubUpdated", changes.stream().filter(c -> c.change().equals("updated")).count());
    }
}
