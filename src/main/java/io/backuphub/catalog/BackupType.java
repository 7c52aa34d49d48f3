package io.backuphub.catalog;

import java.util.Locale;

/** The contract's backup types; a type the hub does not know is {@link #UNKNOWN}. */
public enum BackupType {
    FULL, INCREMENTAL, SYNCHRONIZATION, SYNTHETIC, UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackupType fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
