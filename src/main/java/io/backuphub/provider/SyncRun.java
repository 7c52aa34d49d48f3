package io.backuphub.provider;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.backuphub.catalog.IngestOutcome;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters of one sync of one source. Kept on the exchange (shared by the split's sub-exchanges), so
 * nothing about a sync lives outside the exchange that runs it.
 */
public class SyncRun {

    public static final String PROPERTY = "backupHubSyncRun";
    private static final Logger LOG = LoggerFactory.getLogger(SyncRun.class);

    private final String source;
    private final long startedNanos = System.nanoTime();
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger updated = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    public SyncRun(String source) {
        this.source = source;
    }

    /** Starts a sync on this exchange. */
    public static void start(Exchange exchange, String source) {
        exchange.setProperty(PROPERTY, new SyncRun(source));
    }

    public static SyncRun of(Exchange exchange) {
        SyncRun run = exchange.getProperty(PROPERTY, SyncRun.class);
        if (run == null) {
            throw new IllegalStateException("no sync is running on exchange " + exchange.getExchangeId());
        }
        return run;
    }

    public void seen() {
        seen.incrementAndGet();
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

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    public void logCompleted() {
        LOG.info("source={} sync completed: seen={} new={} updated={} rejected={} in {} ms", source, seen, created,
                updated, rejected, elapsed().toMillis());
    }

    public void logFailed(Throwable cause) {
        LOG.error("source={} sync failed after seen={} new={} updated={} rejected={}: {}", source, seen, created,
                updated, rejected, ProviderFailures.describe(source, cause));
    }
}
