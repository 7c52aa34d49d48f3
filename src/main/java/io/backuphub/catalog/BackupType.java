package io.backuphub.catalog;

import java.util.Locale;

/** The contract's backup types. */
public enum BackupType {
    FULL, INCREMENTAL, SYNCHRONIZATION, SYNTHETIC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackupType fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
