package io.backuphub.api.model;

import java.time.Instant;

/** A copy of a backup in one storage target. */
public record BackupCopy(String target, String status, String sha256, Instant storedAt) {
}
