package io.backuphub.api.model;

import java.time.Instant;

/** A record (a file, a manifest) of a backup under one endpoint; its bytes are the record's blob. */
public record BackupRecord(long id, String endpointName, long backupId, String name, String contentType, Long sizeBytes,
                           String sha256, Instant createdAt) {
}
