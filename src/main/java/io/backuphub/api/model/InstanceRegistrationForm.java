package io.backuphub.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /v1/backup_instances} (form-encoded, or JSON with the same names as keys or nested):
 * the reference's three fields plus the provider keys of the thing to protect. Describes the API; the routes read
 * the fields with {@code RequestFields}.
 */
@Schema(description = "A backup_instance to register, with the provider keys its backup_definition's "
        + "registration_fields name (GET /v1/backup_definitions/{id}).")
public record InstanceRegistrationForm(
        @JsonProperty("backup_instance[backup_definition_id]")
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "provider-kind",
                description = "the backup_definition to register the instance from (GET /v1/backup_definitions)")
        String backupDefinitionId,
        @JsonProperty("backup_instance[customer_id]")
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1", description = "the customer it belongs to")
        Long customerId,
        @JsonProperty("backup_instance[backup_frequency]")
        @Schema(defaultValue = "daily",
                description = "hourly, daily, weekly, manual, or a Quartz cron expression")
        String backupFrequency,
        @JsonProperty("backup_instance[source]")
        @Schema(description = "the provider account (connection) to register it with, when the customer has several "
                + "of the definition's provider") String source,
        @JsonProperty("backup_instance[stack_uid]")
        @Schema(description = "a provider key: the stack's UID") String stackUid,
        @JsonProperty("backup_instance[stack_name]")
        @Schema(description = "a provider key: the stack's name (default: its UID)") String stackName,
        @JsonProperty("backup_instance[database_name]")
        @Schema(description = "a provider key: the database's name") String databaseName,
        @JsonProperty("backup_instance[protected_entity_guid]")
        @Schema(description = "a provider key: the protected entity's GUID") String protectedEntityGuid,
        @JsonProperty("backup_instance[protected_entity_name]")
        @Schema(description = "a provider key: the protected entity's name (default: its GUID)") String protectedEntityName) {
}
