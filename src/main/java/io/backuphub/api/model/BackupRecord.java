package io.backuphub.api.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A record (a file, a manifest) of a backup under one endpoint; its bytes are the record's blob. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupRecord(long id, String endpointName, long backupId, String name, String contentType, Long sizeBytes,
                           String sha256, Instant createdAt) {
}
