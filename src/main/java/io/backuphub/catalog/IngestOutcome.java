package io.backuphub.catalog;

import java.util.List;

/**
 * What an upsert did, for logs, counters and the events that follow a change.
 *
 * @param source           the connection the backup was polled from
 * @param newUnknownValues the backup's values the hub does not know, when they are new to the catalog (a new
 *                         backup, or other unknown values than stored): empty when there are none or they were
 *                         reported before, so a warning is logged once per backup and value, not on every poll
 */
public record IngestOutcome(Change change, String source, String providerBackupId, long backupId,
                            long instanceId, BackupStatus status, List<String> newUnknownValues) {

    public enum Change { NEW, UPDATED, UNCHANGED }

    public IngestOutcome {
        newUnknownValues = newUnknownValues == null ? List.of() : List.copyOf(newUnknownValues);
    }

    public boolean changed() {
        return change != Change.UNCHANGED;
    }
}
