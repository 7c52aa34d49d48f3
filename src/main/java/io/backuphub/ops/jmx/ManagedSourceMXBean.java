package io.backuphub.ops.jmx;

/**
 * {@code backuphub:type=source,name=<source>}: one source's sync status, read from the shared sync
 * history, and what an operator can do to it. Times are ISO-8601 UTC; empty when never.
 */
public interface ManagedSourceMXBean {

    String getName();

    /** When the last poll (a sync of everything the source has) ended. */
    String getLastPollTime();

    /** {@code succeeded}, {@code failed} or {@code never}. */
    String getLastPollResult();

    /** Why the last poll failed, for an operator; empty when it did not. */
    String getLastError();

    String getLastSuccessTime();

    int getConsecutiveFailures();

    /** Backups the last poll saw, added and updated. */
    long getBackupsSeen();

    long getBackupsNew();

    long getBackupsUpdated();

    /** Backups seen, added and updated by every sync of this source so far. */
    long getTotalBackupsSeen();

    long getTotalBackupsNew();

    long getTotalBackupsUpdated();

    /** Now minus the start of the source's newest backup in the catalog; -1 while it has none. */
    long getLagSeconds();

    long getDeadLetters();

    long getCopiesPending();

    /** Whether this node's schedule for the source is paused. */
    boolean isPaused();

    /** Syncs the source now and returns how it ended, in one line. */
    String syncNow();

    /** Pauses this node's schedule of the source (a sync by hand still runs). */
    void pause() throws Exception;

    void resume() throws Exception;
}
