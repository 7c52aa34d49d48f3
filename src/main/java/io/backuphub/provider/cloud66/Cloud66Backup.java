package io.backuphub.provider.cloud66;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Cloud66 v3 managed backup as the API sends it; fields the hub does not use are ignored. The status codes are
 * kept as sent (a number, or whatever a newer API sends), so a value the hub does not know is shown, not rejected.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cloud66Backup(
        @JsonProperty("id") Long id,
        @JsonProperty("server_uid") String serverUid,
        @JsonProperty("db_type") String dbType,
        @JsonProperty("database_name") String databaseName,
        @JsonProperty("backup_date_iso") String backupDateIso,
        @JsonProperty("backup_status") JsonNode backupStatus,
        @JsonProperty("backup_result") String backupResult,
        @JsonProperty("restore_status") Integer restoreStatus,
        @JsonProperty("verify_status") JsonNode verifyStatus,
        @JsonProperty("verify_result") String verifyResult,
        @JsonProperty("storage_path") String storagePath,
        @JsonProperty("backup_size") Long backupSize) {
}
