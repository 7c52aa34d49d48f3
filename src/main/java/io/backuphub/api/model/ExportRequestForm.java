package io.backuphub.api.model;

import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /v1/backup_instances/{id}/exports}: which backup, which records, which archive. */
@Schema(description = "An export to build; every field is optional (the newest completed backup, every record, tar)")
public record ExportRequestForm(
        @JsonProperty("export_run[backup_run_id]")
        @Schema(minimum = "1", description = "the backup to export (default: the newest completed one)")
        Long backupRunId,
        @JsonProperty("export_run[content_types]")
        @Schema(example = "text/plain,application/gzip",
                description = "comma list of the content types of the records to include (default: all)")
        String contentTypes,
        @JsonProperty("export_run[export_formats]")
        @Schema(example = "tar.gz", description = "the archive: tar (default), tar.gz (also tgz) or zip")
        String exportFormats,
        @JsonProperty("export_run[export_datetime]")
        @Schema(description = "only records created on or after this date (YYYY-MM-DD)")
        LocalDate exportDatetime,
        @JsonProperty("export_run[force_full]")
        @Schema(description = "build again even if the same export exists (default false)")
        Boolean forceFull,
        @JsonProperty("export_run[send_confirmation]")
        @Schema(description = "notify when the export is completed (default false)")
        Boolean sendConfirmation) {
}
