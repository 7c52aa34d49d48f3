package io.backuphub.api.model;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One protected thing of one customer: a database, a virtual machine, an application.
 *
 * @param source the provider's keys for it (stack and database, entity guid)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupInstance(long id, long customerId, String backupDefinitionId, String backupFrequency, String name,
                             String provider, Map<String, String> source, String status, Instant lastBackupAt,
                             Instant createdAt, Instant updatedAt) {
}
