package io.backuphub.api;

import java.time.Instant;
import java.time.LocalDate;

/** An export as the catalog holds it (the API shows it as {@link io.backuphub.api.model.Export}). */
public record ExportRow(long id, long instanceId, Long backupId, String status, String exportFormats,
                        String contentTypes, LocalDate exportDatetime, boolean forceFull, boolean sendConfirmation,
                        String storageKey, Long sizeBytes, Instant expiresAt, String errorMessage, Instant createdAt,
                        Instant completedAt) {
}
