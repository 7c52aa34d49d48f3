package io.backuphub.fanout.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.backuphub.fanout.notify.NotifyEvents;
import io.backuphub.ops.metrics.HubMetrics;
import io.backuphub.provider.ProviderFailures;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one copy that routes/fanout-storage.yaml calls ({@code fanoutCopies} in the registry): set
 * up an attempt, write to a file target, and end the copy as stored or as a dead letter, raising the
 * notification events that follow.
 */
public class CopySteps {

    private static final Logger LOG = LoggerFactory.getLogger(CopySteps.class);

    /** Exchange properties of a copy in flight. */
    public static final String COPY = "hubCopy";
    public static final String TARGET = "hubTarget";
    public static final String TARGET_KIND = "hubTargetKind";
    public static final String DECLARED_SIZE = "hubDeclaredSize";
    /**
     * The SHA-256 (hex) the source gives for the bytes it opens, when it knows it (an upstream's record hash): the
     * target compares the hash of what it wrote with it and refuses the copy when they differ.
     */
    public static final String DECLARED_SHA256 = "hubDeclaredSha256";
    public static final String STORED = "hubStored";
    /** Attempts of this run, counted by {@link AttemptResult}. */
    public static final String ATTEMPTS = "hubAttempts";
    /** When the attempt began ({@link System#nanoTime()}), and whether it wrote the copy (not found it there). */
    public static final String STARTED = "hubCopyStarted";
    public static final String WRITTEN = "hubCopyWritten";
    /** The run's tally ({@link RunTally}), on the run's exchange and every copy of it. */
    public static final String RUN = "hubCopyRun";

    /** Any URL's query string in an error text: signatures must not reach a log or the dead-letter table. */
    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s?\"']*)\\?[^\\s\"']*");

    private final CopyQueue queue;
    private final StorageTargets targets;
    private final FileTarget files;
    private final NotifyEvents events;
    private final CopiesInFlight inFlight;

    public CopySteps(CopyQueue queue, StorageTargets targets, FileTarget files, NotifyEvents events,
                     CopiesInFlight inFlight) {
        this.queue = queue;
        this.targets = targets;
        this.files = files;
        this.events = events;
        this.inFlight = inFlight;
    }

    /**
     * Starts an attempt (on a copy of the copy's exchange, see {@link AttemptResult}) from the claimed task
     * alone, so a redelivery starts clean whatever the last attempt left.
     */
    public void begin(Exchange exchange) {
        CopyTask task = exchange.getProperty(COPY, CopyTask.class);
        StorageTarget target = targets.get(task.target());
        exchange.setProperty(TARGET, target);
        exchange.setProperty(TARGET_KIND, target.kind().id());
        exchange.removeProperty(DECLARED_SIZE);
        exchange.removeProperty(DECLARED_SHA256);
        exchange.removeProperty(STORED);
        exchange.removeProperty(WRITTEN);
        exchange.setProperty(STARTED, System.nanoTime());
        exchange.removeProperties("hubS3*");
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setBody(null);
    }

    public void presentInFile(Exchange exchange) throws IOException {
        files.present(target(exchange), task(exchange)).ifPresent(copy -> exchange.setProperty(STORED, copy));
    }

    public void storeInFile(Exchange exchange) throws IOException, InvalidPayloadException {
        CopyTask task = task(exchange);
        InputStream source = inFlight.watch(task, exchange.getMessage().getMandatoryBody(InputStream.class));
        try {
            exchange.setProperty(STORED, files.store(target(exchange), task, source, declaredSize(exchange),
                    declaredSha256(exchange)));
            exchange.setProperty(WRITTEN, true);
        } finally {
            inFlight.done(task);
        }
    }

    /** Starts a copy run: its tally, one object shared by the copies of every batch (a split copies properties shallowly). */
    public void startRun(Exchange exchange) {
        exchange.setProperty(RUN, new RunTally(System.nanoTime()));
    }

    /**
     * Whether the run claims another batch: at first, and after a full batch (there may be more), while the hub is
     * not stopping. A batch short of the limit means the queue had no more to give.
     */
    public boolean moreToCopy(Exchange exchange) {
        RunTally run = exchange.getProperty(RUN, RunTally.class);
        return !stopping() && (run == null || run.batches.get() == 0 || run.lastBatchFull);
    }

    /**
     * Queues what is missing (see {@link CopyQueue#enqueueMissing}) before a batch is claimed, while the last look
     * found as many as it could take: once a look comes back short, nothing else is missing, and the other batches of
     * the run skip the query (what a sync completes meanwhile is queued by its change event, or by the next run).
     */
    public int enqueueMissing(Exchange exchange, int limit) {
        RunTally run = exchange.getProperty(RUN, RunTally.class);
        if (run != null && !run.lookForMissing) {
            return 0;
        }
        int added = queue.enqueueMissing(limit);
        if (run != null) {
            run.lookForMissing = added >= limit;
        }
        return added;
    }

    /**
     * Claims the run's next batch: the first batch takes queued copies, then dead letters; the next ones queued copies
     * only, so a copy that keeps failing is tried once a run.
     */
    public List<CopyTask> claim(Exchange exchange, int limit) {
        RunTally run = exchange.getProperty(RUN, RunTally.class);
        boolean first = run == null || run.batches.get() == 0;
        List<CopyTask> batch = queue.claim(limit, first);
        if (run != null) {
            run.batches.incrementAndGet();
            run.claimed.addAndGet(batch.size());
            run.lastBatchFull = batch.size() >= limit;
        }
        return batch;
    }

    /** One line per run that copied anything (not one per copy: a first sync queues copies by the thousand). */
    public void endRun(Exchange exchange) {
        RunTally run = exchange.getProperty(RUN, RunTally.class);
        if (run != null && run.claimed.get() > 0) {
            LOG.info("copy run: {} claimed in {} batch(es), {} stored, {} failed, in {} ms", run.claimed.get(),
                    run.batches.get(), run.stored.get(), run.dead.get(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.started));
        }
    }

    /** What a run did, counted by its copies as they end (on the copy pool's threads). */
    static final class RunTally {
        final long started;
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger claimed = new AtomicInteger();
        final AtomicInteger stored = new AtomicInteger();
        final AtomicInteger dead = new AtomicInteger();
        volatile boolean lastBatchFull;
        /** Whether the next batch looks for copies missing from the queue first. */
        volatile boolean lookForMissing = true;

        RunTally(long started) {
            this.started = started;
        }
    }

    /** Whether the hub is stopping, so a copy not started yet must not start. */
    public boolean stopping() {
        return inFlight.stopping();
    }

    /** A claimed copy not started because the hub stops: its claim is given back for the next run. */
    public void giveBack(Exchange exchange) {
        CopyTask task = exchange.getProperty(COPY, CopyTask.class);
        if (!inFlight.released()) { // else every claim of this node was given back already
            queue.release(task.copyId());
        }
    }

    /**
     * Ends a copy as stored: its bytes are durable in the target. Returns it for the route {@code fanout-mark-stored},
     * whose aggregator marks the stored copies of a run together, in one transaction ({@link #markStored}). A crash
     * before the mark leaves the copy claimed, not stored: it is claimed again when the claim runs out (or at once
     * after a restart) and found in the target or copied again.
     */
    public CopyQueue.Stored stored(Exchange exchange) {
        CopyTask task = task(exchange);
        StoredCopy copy = exchange.getProperty(STORED, StoredCopy.class);
        LOG.debug("{} stored: {} bytes sha256 {}", task.describe(), copy.sizeBytes(), copy.sha256());
        Long started = exchange.getProperty(STARTED, Long.class);
        if (exchange.getProperty(WRITTEN, false, Boolean.class) && started != null) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            HubMetrics.of(exchange.getContext()).ifPresent(m -> m.copied(task.target(), copy.sizeBytes(), took));
        }
        RunTally run = exchange.getProperty(RUN, RunTally.class);
        if (run != null) {
            run.stored.incrementAndGet();
        }
        return new CopyQueue.Stored(task, copy, attempts(exchange));
    }

    /**
     * Marks stored copies stored: first makes durable the folders of the file targets they were written to (each
     * folder forced once, so their renames survive a crash), then marks them in one transaction with the events
     * {@code backup.stored} of the backups they complete, which it returns: a kill cannot leave a copy marked without
     * its file, nor a backup's last copy without its event.
     */
    public List<Map<String, Object>> markStored(List<CopyQueue.Stored> due) {
        Set<Path> folders = new LinkedHashSet<>();
        for (CopyQueue.Stored stored : due) {
            StorageTarget target = targets.get(stored.task().target());
            if (target.kind() == StorageTarget.Kind.FILE) {
                folders.add(target.file(stored.task().storageKey()).getParent());
            }
        }
        try {
            files.forceFolders(folders);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the copies' folders durable", e);
        }
        List<Map<String, Object>> raised = queue.markStored(due, events::backupsStored);
        return raised == null ? List.of() : raised;
    }

    /**
     * Makes the copy a dead letter with its reason; the event {@code copy.failed} the first time, else null. A copy
     * that failed because the hub is stopping is no dead letter: its claim is given back and it stays queued.
     */
    public Map<String, Object> dead(Exchange exchange) {
        CopyTask task = task(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (inFlight.stopping()) {
            LOG.info("{} cut off by the hub stopping ({}): given back to the queue", task.describe(),
                    failure == null ? "no reason" : reason(task, failure));
            giveBack(exchange);
            return null;
        }
        String reason = reason(task, failure);
        Map<String, Object> event = queue.markDead(task, reason, attempts(exchange), c -> events.copyFailed(c, task, reason));
        LOG.warn("{} failed after {} attempt(s): {}", task.describe(), attempts(exchange), reason);
        RunTally run = exchange.getProperty(RUN, RunTally.class);
        if (run != null) {
            run.dead.incrementAndGet();
        }
        return event;
    }

    /** One line about a failed copy, with no URL query (signatures) in it. */
    static String reason(CopyTask task, Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String text = failure instanceof DownloadRefusedException || failure instanceof DownloadFailedException
                || failure instanceof CopyVerificationException
                ? failure.getMessage()
                : ProviderFailures.describe(task.provider(), failure);
        return URL_QUERY.matcher(text).replaceAll("$1");
    }

    private static int attempts(Exchange exchange) {
        return exchange.getProperty(ATTEMPTS, 1, Integer.class);
    }

    public static CopyTask task(Exchange exchange) {
        return exchange.getProperty(COPY, CopyTask.class);
    }

    public static StorageTarget target(Exchange exchange) {
        return exchange.getProperty(TARGET, StorageTarget.class);
    }

    public static Long declaredSize(Exchange exchange) {
        return exchange.getProperty(DECLARED_SIZE, Long.class);
    }

    public static String declaredSha256(Exchange exchange) {
        return exchange.getProperty(DECLARED_SHA256, String.class);
    }
}
