package io.backuphub.catalog;

/** What an upsert did, for logs, counters and the events that follow a change. */
public record IngestOutcome(Change change, String provider, String providerBackupId, long backupId,
                            long instanceId, BackupStatus status) {

    public enum Change { NEW, UPDATED, UNCHANGED }

    public boolean changed() {
        return change != Change.UNCHANGED;
    }
}
