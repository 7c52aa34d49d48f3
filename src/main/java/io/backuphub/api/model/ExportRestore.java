package io.backuphub.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A restore of a completed export into another provider's backup instance (of a provider that can restore an export): queued at
 * the provider, which downloads the export through a signed link.
 *
 * @param sourceBackupInstanceId the instance the export is of
 * @param backupInstanceId the instance restored into
 * @param message what the provider answered
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ExportRestore(long exportId, long sourceBackupInstanceId, long backupInstanceId, String provider,
                            int group, String dbType, String status, String message) {
}
