package io.backuphub.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code PUT /v1/backup_instances/{id}}: the instance's new schedule. */
@Schema(description = "A backup_instance's new backup_frequency (the hub's schedule of it, and the provider's own schedule where it has one)")
public record InstanceChangeForm(
        @JsonProperty("backup_instance[backup_frequency]")
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "daily",
                description = "hourly, daily, weekly, manual, or a Quartz cron expression")
        String backupFrequency) {
}
