package io.backuphub.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST .../exports/{export_id}/restore}: the backup_instance to restore the export into. */
@Schema(description = "Where to restore a completed export")
public record ExportRestoreForm(
        @JsonProperty("restore[backup_instance_id]")
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1",
                description = "the backup_instance (of the same caller, of a provider that can restore an export) to restore into")
        Long backupInstanceId,
        @JsonProperty("restore[group]")
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1",
                description = "the provider's backup group to import into")
        Integer group) {
}
