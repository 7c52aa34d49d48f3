package io.backuphub.provider.vprotect;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.catalog.BackupStatus;
import io.backuphub.catalog.BackupType;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogRecord;
import io.backuphub.catalog.ContentTypes;
import io.backuphub.provider.ProviderDataException;

/**
 * Where vProtect JSON becomes a catalog backup: one backup instance per protected entity, each backup
 * (guid) a run, with vProtect's status and type enums mapped onto the contract's.
 *
 * <p>An enum value the hub does not know (vProtect added a status, a backup type or a protected-entity type)
 * does not keep the backup out of the catalog: status or type become {@code unknown}, a new entity type gets
 * its own definition ({@code vprotect-<type>}), the raw status is kept and every such value is listed in
 * {@link CatalogBackup#unknownValues()}. Only what cannot be placed is rejected: no guid, no protected entity,
 * no snapshot time or size.
 */
public class VProtectBackupMapper {

    public static final String SOURCE = "vprotect";
    /** The endpoint of the record with the backup's details, the one vProtect record the hub can copy. */
    public static final String MANIFEST_ENDPOINT = "manifest";
    private static final Map<String, BackupStatus> STATUSES = Map.of(
            "QUEUED", BackupStatus.QUEUED,
            "INPROGRESS", BackupStatus.IN_PROGRESS,
            "SUCCESS", BackupStatus.COMPLETED,
            "PARTIAL_SUCCESS", BackupStatus.PARTIAL,
            "FAILED", BackupStatus.FAILED,
            "SUCCESS_REMOVED", BackupStatus.REMOVED);
    private static final Map<String, BackupType> TYPES = Map.of(
            "FULL", BackupType.FULL,
            "INCREMENTAL", BackupType.INCREMENTAL,
            "SYNCHRONIZATION", BackupType.SYNCHRONIZATION,
            "SYNTHETIC", BackupType.SYNTHETIC);
    private static final Set<String> ENTITY_TYPES = Set.of("APP", "CLOUD", "CLOUD_GROUP", "CLOUD_SITE",
            "CLOUD_TEAMS", "CLOUD_USER", "OS", "OS_AGENT", "STORAGE", "VM");
    /** What an entity type the hub does not know must look like to name a definition. */
    private static final Pattern ENTITY_TYPE_TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");

    private final String customer;
    private final String connection;

    /** A mapper for the connection {@code vprotect}, the one of the legacy {@code hub.vprotect.*} block. */
    public VProtectBackupMapper(String customer) {
        this(customer, SOURCE);
    }

    /** A mapper for the connection {@code source}, whose account is the customer's. */
    public VProtectBackupMapper(String customer, String source) {
        this.customer = customer;
        this.connection = source;
    }

    /**
     * Maps a BackupListRecord or BackupExtendedDetails. The fingerprint is the list item's, which is
     * what the next poll compares against.
     */
    public CatalogBackup toCatalogBackup(JsonNode backup, String fingerprint) {
        return toCatalogBackup(backup, fingerprint, null);
    }

    /**
     * Maps a BackupDetails of the detailed listing; {@code details} (its JSON text) becomes the content of the
     * manifest record, so a copy of the manifest reads it from the catalog.
     */
    public CatalogBackup toCatalogBackup(JsonNode backup, String fingerprint, String details) {
        String guid = backup.path("guid").asText("");
        if (guid.isBlank()) {
            throw reject("?", "backup has no guid", backup);
        }
        List<String> unknown = new ArrayList<>();
        String rawStatus = enumName(backup.path("status"));
        BackupStatus status = enumValue(rawStatus, "status", STATUSES, BackupStatus.UNKNOWN, unknown);
        BackupType type = enumValue(enumName(backup.path("type")), "type", TYPES, BackupType.UNKNOWN, unknown);
        JsonNode entity = backup.path("protectedEntity");
        String entityGuid = entity.path("guid").asText("");
        if (entityGuid.isBlank()) {
            throw reject(guid, "backup has no protectedEntity.guid", backup);
        }
        String entityType = enumName(entity.path("type"));
        if (entityType == null || !ENTITY_TYPE_TOKEN.matcher(entityType).matches()) {
            throw reject(guid, "unusable protectedEntity.type '" + entityType + "' (expected a name such as one of "
                    + ENTITY_TYPES + ")", backup);
        }
        if (!ENTITY_TYPES.contains(entityType)) {
            unknown.add("protectedEntity.type '" + entityType + "'");
        }
        String entityName = entity.path("name").asText(entityGuid);
        if (!backup.path("snapshotTime").canConvertToLong()) {
            throw reject(guid, "backup has no snapshotTime (epoch ms)", backup);
        }
        if (!backup.path("size").canConvertToLong()) {
            throw reject(guid, "backup has no size", backup);
        }
        OffsetDateTime snapshot = epochMillis(backup.path("snapshotTime").asLong());
        OffsetDateTime finished = !status.isFinal() ? null
                : backup.path("backupTime").canConvertToLong() ? epochMillis(backup.path("backupTime").asLong())
                : status == BackupStatus.UNKNOWN ? null : snapshot;

        Map<String, String> source = new LinkedHashMap<>();
        source.put("protected_entity_guid", entityGuid);
        source.put("protected_entity_name", entityName);
        source.put("protected_entity_type", entityType);
        return new CatalogBackup(SOURCE, customer,
                "vprotect-" + entityType.toLowerCase(Locale.ROOT), "vProtect " + entityType,
                entityGuid, entityName, source, guid, status, type, snapshot, finished,
                backup.path("size").asLong(),
                warnings(backup),
                backup.path("statusInfo").isTextual() ? backup.path("statusInfo").asText() : null,
                fingerprint,
                records(guid, backup, details),
                rawStatus,
                unknown, connection);
    }

    /** The backup's details as a manifest record, plus its files where the provider lists them. */
    private static List<CatalogRecord> records(String guid, JsonNode backup, String details) {
        List<CatalogRecord> records = new ArrayList<>();
        records.add(new CatalogRecord("manifest", "The backup's details as vProtect reports them", "manifest",
                "backup-" + guid + ".json", "application/json", null, details));
        for (JsonNode file : backup.path("backupFiles")) {
            String name = file.path("name").asText("");
            String id = file.path("guid").asText(name);
            if (name.isBlank()) {
                throw reject(guid, "backup file without a name: " + file, backup);
            }
            records.add(new CatalogRecord("files", "Files of the backup", id, name, ContentTypes.forName(name),
                    file.path("size").canConvertToLong() ? file.path("size").asLong() : null));
        }
        return records;
    }

    private static List<String> warnings(JsonNode backup) {
        List<String> warnings = new ArrayList<>();
        backup.path("warnings").forEach(w -> warnings.add(w.isTextual() ? w.asText() : w.path("value").asText(w.toString())));
        return warnings;
    }

    /** An enum's name: the API sends {name, description}, some examples a bare string; null when there is none. */
    private static String enumName(JsonNode node) {
        String name = node.isTextual() ? node.asText() : node.path("name").asText("");
        if (name.isBlank()) {
            return null;
        }
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    /** The contract's value of a known name; otherwise {@code unknown}, noted with the name as sent. */
    private static <T> T enumValue(String name, String field, Map<String, T> values, T unknownValue,
                                   List<String> unknown) {
        T value = name == null ? null : values.get(name);
        if (value == null) {
            unknown.add(name == null ? field + " missing" : field + " '" + name + "'");
            return unknownValue;
        }
        return value;
    }

    private static OffsetDateTime epochMillis(long millis) {
        return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
    }

    private static ProviderDataException reject(String guid, String reason, JsonNode backup) {
        return new ProviderDataException(SOURCE, guid, reason, backup.toString());
    }
}
