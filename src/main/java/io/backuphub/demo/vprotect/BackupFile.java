package io.backuphub.demo.vprotect;

import java.util.Objects;

/** One file of a vProtect backup, as listed in BackupExtendedDetails.backupFiles. */
public record BackupFile(String guid, String name, long size, String path) {
    public BackupFile {
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0");
        }
    }
}
