package io.backuphub.ops;

import java.time.Instant;

/**
 * What the catalog's sync history says about one source: its last poll (a sync of everything it has),
 * how many polls in a row have failed, and the totals of every sync. Null times mean "never".
 */
public record SourceStatus(String source, Instant lastPollAt, String lastOutcome, String lastError,
                           long lastSeen, long lastNew, long lastUpdated, Instant lastSuccessAt,
                           int consecutiveFailures, long totalSeen, long totalNew, long totalUpdated) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    /** The outcome shown for a source that has not been polled yet. */
    public static final String NEVER = "never";

    public boolean neverPolled() {
        return lastPollAt == null;
    }
}
