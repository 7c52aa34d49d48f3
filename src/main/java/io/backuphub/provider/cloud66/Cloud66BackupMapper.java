package io.backuphub.provider.cloud66;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.BackupStatus;
import io.backuphub.catalog.BackupType;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogRecord;
import io.backuphub.catalog.ContentTypes;
import io.backuphub.provider.Fingerprint;
import io.backuphub.provider.ProviderDataException;

/**
 * Where Cloud66 JSON becomes a catalog backup: one backup instance per (stack, db_type, database),
 * each managed backup a run, its files records of the {@code files} endpoint.
 *
 * <p>Values the hub does not know (a {@code backup_status} other than 0 or 1, a new {@code db_type} or
 * {@code verify_status}) do not keep a backup out of the catalog: its status is {@code unknown} where the status
 * is not understood, the raw status is kept, and the values are listed in {@link CatalogBackup#unknownValues()}.
 * Only what cannot be placed at all is rejected: no id, no database, no date, JSON that is not a backup.
 */
public class Cloud66BackupMapper {

    public static final String SOURCE = "cloud66";
    public static final String FILES_ENDPOINT = "files";
    private static final Set<String> DB_TYPES = Set.of("mysql", "postgresql", "redis", "mongodb");
    /** What a db_type the hub does not know must look like to name a definition and an instance key. */
    private static final Pattern DB_TYPE_TOKEN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String customer;
    private final String connection;

    /** A mapper for the connection {@code cloud66}, the one of the legacy {@code hub.cloud66.*} block. */
    public Cloud66BackupMapper(String customer) {
        this(customer, SOURCE);
    }

    /** A mapper for the connection {@code source}, whose account is the customer's. */
    public Cloud66BackupMapper(String customer, String source) {
        this.customer = customer;
        this.connection = source;
    }

    /** Maps one item of {@code GET /stacks/:id/backups}; records are fetched separately. */
    public CatalogBackup toCatalogBackup(JsonNode item, Cloud66Stack stack) {
        String itemId = item.path("id").isIntegralNumber() ? item.path("id").asText() : "stack:" + stack.uid() + ":?";
        Cloud66Backup backup;
        try {
            backup = JSON.treeToValue(item, Cloud66Backup.class);
        } catch (JsonProcessingException e) {
            throw reject(itemId, "backup does not match the Cloud66 model: " + e.getOriginalMessage(), item);
        }
        if (backup == null) {
            throw reject(itemId, "backup is not a JSON object: " + item.getNodeType(), item);
        }
        if (backup.id() == null) {
            throw reject(itemId, "backup has no id", item);
        }
        List<String> unknown = new ArrayList<>();
        if (backup.dbType() == null || !DB_TYPE_TOKEN.matcher(backup.dbType()).matches()) {
            throw reject(itemId, "unusable db_type '" + backup.dbType() + "' (expected a name such as one of "
                    + DB_TYPES + ")", item);
        }
        if (!DB_TYPES.contains(backup.dbType())) {
            unknown.add("db_type '" + backup.dbType() + "'");
        }
        if (backup.databaseName() == null || backup.databaseName().isBlank()) {
            throw reject(itemId, "backup has no database_name", item);
        }
        OffsetDateTime takenAt = parseTime(itemId, backup.backupDateIso(), item);

        Map<String, String> source = new LinkedHashMap<>();
        source.put("stack_uid", stack.uid());
        source.put("stack_name", stack.name());
        source.put("db_type", backup.dbType());
        source.put("database_name", backup.databaseName());
        if (backup.serverUid() != null) {
            source.put("server_uid", backup.serverUid());
        }
        return new CatalogBackup(SOURCE, customer,
                "cloud66-" + backup.dbType(), "Cloud66 " + backup.dbType(),
                stack.uid() + "/" + backup.dbType() + "/" + backup.databaseName(),
                stack.name() + " " + backup.databaseName() + " (" + backup.dbType() + ")",
                source,
                String.valueOf(backup.id()),
                status(backup.backupStatus(), unknown),
                BackupType.FULL,
                takenAt, takenAt,
                backup.backupSize(),
                warnings(backup, unknown),
                emptyToNull(backup.backupResult()),
                Fingerprint.of(item),
                null,
                raw(backup.backupStatus()),
                unknown, connection);
    }

    /** Maps one page of {@code GET /stacks/:id/backups/:backup_id/files} to records. */
    public List<CatalogRecord> toRecords(String providerBackupId, JsonNode filesPage) {
        List<CatalogRecord> records = new ArrayList<>();
        if (!filesPage.path("response").isArray()) {
            throw reject(providerBackupId, "files answer without a response array", filesPage);
        }
        for (JsonNode file : Cloud66Pagination.items(filesPage)) {
            String fileId = file.path("id").asText("");
            String name = file.path("name").asText("");
            if (fileId.isBlank() || name.isBlank()) {
                throw reject(providerBackupId, "backup file without id or name: " + file, filesPage);
            }
            records.add(new CatalogRecord(FILES_ENDPOINT, "Database backup files", fileId, name,
                    ContentTypes.forName(name), null));
        }
        return records;
    }

    /** 0 ok, 1 failed; anything else (or none) is a status the hub does not know. */
    private static BackupStatus status(JsonNode backupStatus, List<String> unknown) {
        String raw = raw(backupStatus);
        if ("0".equals(raw)) {
            return BackupStatus.COMPLETED;
        }
        if ("1".equals(raw)) {
            return BackupStatus.FAILED;
        }
        unknown.add(raw == null ? "backup_status missing" : "backup_status " + raw);
        return BackupStatus.UNKNOWN;
    }

    /** Verification problems are warnings on an otherwise good backup; codes 0 to 4 are known. */
    private static List<String> warnings(Cloud66Backup backup, List<String> unknown) {
        String verify = raw(backup.verifyStatus());
        if (verify == null) {
            return List.of();
        }
        return switch (verify) {
            case "0", "1", "2" -> List.of();
            case "3" -> List.of("verification failed" + suffix(backup.verifyResult()));
            case "4" -> List.of("unable to verify" + suffix(backup.verifyResult()));
            default -> {
                unknown.add("verify_status " + verify);
                yield List.of();
            }
        };
    }

    /** A status code as the provider sent it ({@code 7}, {@code "paused"}), or null when it sent none. */
    private static String raw(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static OffsetDateTime parseTime(String itemId, String iso, JsonNode item) {
        if (iso == null || iso.isBlank()) {
            throw reject(itemId, "backup has no backup_date_iso", item);
        }
        try {
            return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw reject(itemId, "backup_date_iso is not ISO-8601: '" + iso + "'", item);
        } catch (DateTimeException e) {
            throw reject(itemId, "backup_date_iso is out of range: '" + iso + "'", item);
        }
    }

    private static String suffix(String text) {
        return text == null || text.isBlank() ? "" : ": " + text;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static ProviderDataException reject(String itemId, String reason, JsonNode item) {
        return new ProviderDataException(SOURCE, itemId, reason, item.toString());
    }
}
