package io.backuphub.api;

import io.backuphub.api.model.BackupRecord;
import io.backuphub.fanout.storage.StorageLayout;

/** A record with what locates its bytes in storage: its instance and its customer's name. */
public record StoredRecord(BackupRecord record, long instanceId, String customer) {

    /** The record's key in every storage target. */
    public String storageKey() {
        return StorageLayout.recordKey(customer, instanceId, record.backupId(), record.name());
    }
}
