package io.backuphub.catalog;

import java.util.Locale;

/**
 * The contract's backup statuses; every provider status maps onto one of these. A status the hub does not
 * know (a provider added a value) is {@link #UNKNOWN}: the backup is still in the catalog, with the provider's
 * raw value kept in {@code backups.provider_status}.
 */
public enum BackupStatus {
    QUEUED, IN_PROGRESS, COMPLETED, PARTIAL, FAILED, REMOVED, UNKNOWN;

    /**
     * Whether the provider can still change this backup's outcome. An unknown status counts as final: it never
     * holds a cursor, so a value the hub does not know cannot stop a sync from moving on.
     */
    public boolean isFinal() {
        return this != QUEUED && this != IN_PROGRESS;
    }

    /**
     * Whether the backup holds data a restore can use (the instance's last good backup). Never for an unknown
     * status: such a backup is neither copied nor exported nor counted as the instance's last backup.
     */
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
