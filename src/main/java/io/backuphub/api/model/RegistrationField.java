package io.backuphub.api.model;

import io.swagger.v3.oas.annotations.media.Schema;

/** A field a registration of a backup_definition carries, as {@code backup_instance[<name>]}. */
@Schema(description = "A field a registration of this backup_definition carries, as backup_instance[<name>]")
public record RegistrationField(
        @Schema(description = "the field's name") String name,
        @Schema(description = "whether a registration must give it") boolean required,
        @Schema(description = "what it names at the provider") String description) {
}
