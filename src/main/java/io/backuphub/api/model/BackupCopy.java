package io.backuphub.api.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A copy of one of a backup's records in one storage target, from the fan-out's {@code copies} table:
 * {@code status} is {@code pending}, {@code stored} (verified) or {@code dead}; {@code sha256} and
 * {@code size_bytes} are those verified when it was stored. The contract's fields are {@code target, status,
 * sha256, stored_at}; the record's id and name say which of the backup's records it is.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupCopy(String target, String status, String sha256, Instant storedAt, long recordId,
                         String recordName, Long sizeBytes) {
}
