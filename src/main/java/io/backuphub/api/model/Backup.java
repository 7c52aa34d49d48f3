package io.backuphub.api.model;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One backup run of an instance, as its provider reported it, with the hub's copies of it. {@code providerStatus}
 * is the provider's own status, raw (such as {@code "0"} or {@code "SUCCESS"}): what a {@code status} of
 * {@code unknown} was; null for backups the hub took in before it kept it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Backup(long id, long backupInstanceId, String providerBackupId, String status, String type,
                     Instant startedAt, Instant completedAt, Long sizeBytes, List<String> warnings,
                     List<BackupCopy> copies, String providerStatus) {

    /** The same backup with its copies listed. */
    public Backup withCopies(List<BackupCopy> listed) {
        return new Backup(id, backupInstanceId, providerBackupId, status, type, startedAt, completedAt, sizeBytes,
                warnings, List.copyOf(listed), providerStatus);
    }
}
