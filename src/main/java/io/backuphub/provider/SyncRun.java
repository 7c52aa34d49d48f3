package io.backuphub.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.IngestOutcome;
import io.backuphub.ops.metrics.HubMetrics;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters of one sync of one source (or of one instance). Kept on the exchange, shared by the split's
 * sub-exchanges, and recorded in the catalog's {@code sync_runs} when the sync ends, so nothing about a
 * sync lives only in this node's memory.
 */
public class SyncRun {

    public static final String PROPERTY = "backupHubSyncRun";
    /** Scope of a sync over everything the source has. */
    public static final String ALL = "all";
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    private final String source;
    private final String scope;
    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger updated = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile String firstItemFailure;
    private volatile String error;
    private volatile boolean finished;
    private volatile boolean skipped;

    public SyncRun(String source, String scope) {
        this.source = source;
        this.scope = scope;
    }

    /** Starts a sync of everything a source has on this exchange. */
    public static void start(Exchange exchange, String source) {
        exchange.setProperty(PROPERTY, new SyncRun(source, ALL));
    }

    /** Starts a sync of one instance on this exchange. */
    public static void startInstance(Exchange exchange, String source, long instanceId) {
        exchange.setProperty(PROPERTY, new SyncRun(source, "instance:" + instanceId));
    }

    public static SyncRun of(Exchange exchange) {
        SyncRun run = exchange.getProperty(PROPERTY, SyncRun.class);
        if (run == null) {
            throw new IllegalStateException("no sync is running on exchange " + exchange.getExchangeId());
        }
        return run;
    }

    /** Marks the sync failed with the exception the sync route caught. */
    public static void failed(Exchange exchange) {
        SyncRun run = of(exchange);
        run.error = ProviderFailures.describe(run.source, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
    }

    /** The sync was not run: the source's circuit breaker is open ({@link ProviderBreaker}). */
    static void skipped(Exchange exchange, String reason) {
        SyncRun run = of(exchange);
        run.skipped = true;
        run.error = reason;
    }

    /**
     * One backup could not be read (the provider kept failing for it): the sync goes on with the others,
     * ends as failed, and the backup is read again on the next poll.
     */
    public static void itemFailed(Exchange exchange, String itemId) {
        SyncRun run = of(exchange);
        String reason = ProviderFailures.describe(run.source, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        if (run.failed.getAndIncrement() == 0) {
            run.firstItemFailure = "backup " + itemId + ": " + reason;
        }
        LOG.warn("source={} route={} item={} not read, retried on the next poll: {}", run.source,
                exchange.getProperty(org.apache.camel.ExchangePropertyKey.FAILURE_ROUTE_ID, String.class), itemId, reason);
    }

    /** Ends the sync: records it in the catalog and logs one line. */
    public static void finish(Exchange exchange) {
        SyncRun run = of(exchange);
        run.finished = true;
        if (run.error == null && run.failed.get() > 0) {
            run.error = run.failed.get() + " backup(s) could not be read and will be retried; first " + run.firstItemFailure;
        }
        if (run.skipped) {
            LOG.warn("source={} scope={} sync skipped: {}", run.source, run.scope, run.error);
        } else if (run.error != null) {
            LOG.error("source={} scope={} sync failed after seen={} new={} updated={} rejected={}: {}", run.source,
                    run.scope, run.seen, run.created, run.updated, run.rejected, run.error);
        } else {
            LOG.info("source={} scope={} sync completed: seen={} new={} updated={} rejected={} in {} ms", run.source,
                    run.scope, run.seen, run.created, run.updated, run.rejected, run.elapsed().toMillis());
        }
        exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class).recordSyncRun(run);
        HubMetrics.of(exchange.getContext()).ifPresent(m -> m.syncFinished(run.source, run.succeeded()));
    }

    public void seen() {
        seen.incrementAndGet();
    }

    /** A page of {@code count} items was read from the provider. */
    public void seen(int count) {
        seen.addAndGet(count);
    }

    /** Counts a page's outcomes at once. */
    public void ingested(List<IngestOutcome> outcomes) {
        int news = 0;
        int updates = 0;
        for (IngestOutcome outcome : outcomes) {
            switch (outcome.change()) {
                case NEW -> news++;
                case UPDATED -> updates++;
                case UNCHANGED -> { }
            }
        }
        created.addAndGet(news);
        updated.addAndGet(updates);
    }

    public void ingested(IngestOutcome outcome) {
        switch (outcome.change()) {
            case NEW -> created.incrementAndGet();
            case UPDATED -> updated.incrementAndGet();
            case UNCHANGED -> { }
        }
    }

    public void rejected() {
        rejected.incrementAndGet();
    }

    public String source() {
        return source;
    }

    public String scope() {
        return scope;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public int seenCount() {
        return seen.get();
    }

    public int newCount() {
        return created.get();
    }

    public int updatedCount() {
        return updated.get();
    }

    public int rejectedCount() {
        return rejected.get();
    }

    /** Whether the sync ended without an error (false while it runs). */
    public boolean succeeded() {
        return finished && error == null;
    }

    /** Whether the sync was skipped because the source's circuit breaker is open. */
    public boolean skipped() {
        return skipped;
    }

    /** The operator-facing reason the sync failed, or null. */
    public String error() {
        return error;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
