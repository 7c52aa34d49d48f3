package io.backuphub.api.model;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A kind of thing the hub backs up, per provider ({@code <provider>-<kind>}), with the fields a registration of it
 * carries (empty when its provider is not on this hub).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupDefinition(String id, String provider, String name, String description, Instant createdAt,
                               @Schema(description = "the backup_instance[<name>] fields a registration of this "
                                       + "backup_definition carries")
                               List<RegistrationField> registrationFields) {

    public BackupDefinition(String id, String provider, String name, String description, Instant createdAt) {
        this(id, provider, name, description, createdAt, List.of());
    }

    public BackupDefinition withRegistrationFields(List<RegistrationField> fields) {
        return new BackupDefinition(id, provider, name, description, createdAt, List.copyOf(fields));
    }
}
