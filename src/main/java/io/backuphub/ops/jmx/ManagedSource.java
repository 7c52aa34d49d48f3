package io.backuphub.ops.jmx;

import java.time.Duration;
import java.time.Instant;

import io.backuphub.ops.CatalogStats;
import io.backuphub.ops.SourceControl;
import io.backuphub.ops.SourceStatus;
import io.backuphub.ops.SyncHistory;
import io.backuphub.ops.deadletter.CopyBacklog;
import io.backuphub.ops.deadletter.DeadLetters;
import org.apache.camel.CamelContext;

/** The MBean of one source: every read goes to the catalog, so each node shows the same truth. */
public class ManagedSource implements ManagedSourceMXBean {

    private final CamelContext context;
    private final SourceControl control;
    private final SyncHistory history;
    private final CatalogStats stats;

    public ManagedSource(CamelContext context, SourceControl control, SyncHistory history, CatalogStats stats) {
        this.context = context;
        this.control = control;
        this.history = history;
        this.stats = stats;
    }

    private SourceStatus status() {
        return history.status(control.source());
    }

    @Override
    public String getName() {
        return control.source();
    }

    @Override
    public String getLastPollTime() {
        return text(status().lastPollAt());
    }

    @Override
    public String getLastPollResult() {
        return status().lastOutcome();
    }

    @Override
    public String getLastError() {
        String error = status().lastError();
        return error == null ? "" : error;
    }

    @Override
    public String getLastSuccessTime() {
        return text(status().lastSuccessAt());
    }

    @Override
    public int getConsecutiveFailures() {
        return status().consecutiveFailures();
    }

    @Override
    public long getBackupsSeen() {
        return status().lastSeen();
    }

    @Override
    public long getBackupsNew() {
        return status().lastNew();
    }

    @Override
    public long getBackupsUpdated() {
        return status().lastUpdated();
    }

    @Override
    public long getTotalBackupsSeen() {
        return status().totalSeen();
    }

    @Override
    public long getTotalBackupsNew() {
        return status().totalNew();
    }

    @Override
    public long getTotalBackupsUpdated() {
        return status().totalUpdated();
    }

    @Override
    public long getLagSeconds() {
        return stats.lag(control.source()).map(Duration::toSeconds).orElse(-1L);
    }

    @Override
    public long getDeadLetters() {
        return new DeadLetters(context).size(control.source());
    }

    @Override
    public long getCopiesPending() {
        return CopyBacklog.pendingIn(context, control.source());
    }

    @Override
    public boolean isPaused() {
        return control.isPaused();
    }

    @Override
    public String syncNow() {
        return control.syncNow();
    }

    @Override
    public void pause() throws Exception {
        control.pause();
    }

    @Override
    public void resume() throws Exception {
        control.resume();
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
