package io.backuphub.catalog;

import java.util.Locale;

/** The contract's backup statuses; every provider status maps onto one of these. */
public enum BackupStatus {
    QUEUED, IN_PROGRESS, COMPLETED, PARTIAL, FAILED, REMOVED;

    /** Whether the provider can still change this backup's outcome. */
    public boolean isFinal() {
        return this != QUEUED && this != IN_PROGRESS;
    }

    /** Whether the backup holds data a restore can use (the instance's last good backup). */
    public boolean isRestorable() {
        return this == COMPLETED || this == PARTIAL;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackupStatus fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
