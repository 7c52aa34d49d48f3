package io.backuphub.api.model;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * An export of a backup: queued, running, then completed (with a signed {@code exported_data_url} valid until
 * {@code expires_at}) or failed (with {@code error}).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Export(long id, long backupInstanceId, Long backupId, String status, List<String> exportFormats,
                     List<String> contentTypes, LocalDate exportDatetime, boolean forceFull, boolean sendConfirmation,
                     String exportedDataUrl, Instant expiresAt, Long sizeBytes, Instant createdAt, Instant completedAt,
                     String error) {
}
