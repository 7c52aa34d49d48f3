package io.backuphub.fanout.storage;

import java.time.OffsetDateTime;

/** A copy that failed after every redelivery: what, where, how often, and why. */
public record DeadLetter(long copyId, long recordId, long backupId, String recordName, String target,
                         String storageKey, int attempts, String reason, OffsetDateTime failedAt) {
}
