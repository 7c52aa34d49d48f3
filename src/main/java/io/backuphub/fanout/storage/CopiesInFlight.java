package io.backuphub.fanout.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies this node is streaming now, and what happens to them when the hub stops ({@code copiesInFlight},
 * a service of the Camel context). While the routes shut down gracefully a copy in flight may finish; a copy
 * not started yet is given back at once ({@link CopySteps#giveBack}). When the graceful shutdown is over
 * (finished, or cut off after {@code camel.main.shutdown-timeout}) this service stops before the catalog's
 * connection pool closes: a copy still streaming is aborted (its source connection dropped, its part file
 * removed by the target, never moved to the final name), and every claim of this node on a copy that is not
 * stored is released, so the next run here or on another node takes them at once.
 */
public class CopiesInFlight extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(CopiesInFlight.class);
    /** How long an aborted copy may take to unwind (close its files) before the claims are released anyway. */
    private static final long UNWIND_MILLIS = 5000;

    private final CamelContext context;
    private final CopyQueue queue;
    private final Map<Long, Source> streaming = new ConcurrentHashMap<>();
    private volatile boolean released;
    private final AtomicInteger atOnce = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    public CopiesInFlight(CamelContext context, CopyQueue queue) {
        this.context = context;
        this.queue = queue;
    }

    /** Whether the hub is stopping: no copy is started any more. */
    public boolean stopping() {
        return released || context.isStopping() || context.isStopped();
    }

    /** Whether the claims were released already (the catalog may be closed by now). */
    boolean released() {
        return released;
    }

    /**
     * The source of a copy, watched while it streams until {@link #done}: reading it fails at once when the hub
     * aborts the copy.
     */
    public InputStream watch(CopyTask task, InputStream source) {
        Source watched = new Source(task.copyId(), source);
        if (streaming.put(task.copyId(), watched) == null) {
            int now = atOnce.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
        }
        if (released) {
            watched.abort();
        }
        return watched;
    }

    /** The copy's attempt is over (stored, failed or aborted, its temporary file or object handled). */
    public void done(CopyTask task) {
        if (streaming.remove(task.copyId()) != null) {
            atOnce.decrementAndGet();
            synchronized (streaming) {
                streaming.notifyAll();
            }
        }
    }

    /** The most copies that streamed at once since this node started (the copy pool bounds it). */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    @Override
    protected void doStop() throws InterruptedException {
        released = true;
        streaming.values().forEach(Source::abort);
        if (!streaming.isEmpty()) {
            LOG.warn("hub stopping: {} cop{} still streaming after the graceful shutdown, aborted", streaming.size(),
                    streaming.size() == 1 ? "y" : "ies");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UNWIND_MILLIS);
        synchronized (streaming) {
            while (!streaming.isEmpty() && System.nanoTime() < deadline) {
                streaming.wait(100);
            }
        }
        try {
            int released = queue.releaseClaims();
            if (released > 0) {
                LOG.info("hub stopping: {} cop{} not stored given back to the queue", released, released == 1 ? "y" : "ies");
            }
        } catch (RuntimeException e) {
            LOG.warn("hub stopping: claims on copies not released ({}); they are released when this node starts "
                    + "again, or by another node when their lease ends", e.getMessage());
        }
    }

    @Override
    protected void doStart() {
        released = false;
    }

    /** A copy's source: fails on the next read once aborted, and never drains a download it did not finish. */
    private final class Source extends FilterInputStream {

        private final long copyId;
        private volatile boolean aborted;

        Source(long copyId, InputStream in) {
            super(in);
            this.copyId = copyId;
        }

        void abort() {
            aborted = true;
            if (in instanceof EofSensorInputStream http) {
                try {
                    http.abort(); // drops the connection: a read blocked on it fails now
                } catch (IOException | RuntimeException e) {
                    LOG.debug("copy {}: dropping the source connection: {}", copyId, e.getMessage());
                }
            }
        }

        private void check() throws IOException {
            if (aborted) {
                throw new CopyAbortedException("copy " + copyId + " cut off: the hub is stopping");
            }
        }

        @Override
        public int read() throws IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return super.read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            check();
            return super.skip(n);
        }

        @Override
        public void close() throws IOException {
            if (aborted && in instanceof EofSensorInputStream http) {
                http.abort();
            } else {
                super.close();
            }
        }
    }

    /** A copy cut off because the hub stops: not a failure of the copy, which stays queued. */
    public static class CopyAbortedException extends IOException {
        public CopyAbortedException(String message) {
            super(message);
        }
    }
}
