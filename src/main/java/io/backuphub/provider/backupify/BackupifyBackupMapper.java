package io.backuphub.provider.backupify;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.catalog.BackupStatus;
import io.backuphub.catalog.BackupType;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogRecord;
import io.backuphub.catalog.ContentTypes;
import io.backuphub.provider.ProviderDataException;

/**
 * Where an upstream Backupify v1 API's JSON becomes a catalog backup: each upstream backup_instance becomes an
 * instance of this hub (definition {@code backupify-<upstream definition id>}, source key the upstream instance id),
 * each of its backups a run, each of its records under its upstream endpoint a record of that run.
 *
 * <p>The upstream speaks the catalog's own vocabulary (status and type wire names), so a status or type it sends
 * that this hub does not know becomes {@code unknown}, listed in {@link CatalogBackup#unknownValues()}; the upstream's
 * raw status is the backup's provider status. Only what cannot be placed is rejected: no id, no start time.
 */
public class BackupifyBackupMapper {

    /** The definition of an instance whose upstream definition cannot name one. */
    public static final String FIXED_DEFINITION = "backupify-instance";
    /** What an upstream definition id must look like to name a definition here (ids are at most 100 long). */
    private static final Pattern DEFINITION_TOKEN = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,89}");

    private final String source;
    private final String customer;

    /**
     * @param source   the connection's name: the source of everything it polls (the provider is {@code backupify})
     * @param customer the customer of this hub the upstream's instances belong to
     */
    public BackupifyBackupMapper(String source, String customer) {
        this.source = source;
        this.customer = customer;
    }

    public String source() {
        return source;
    }

    /** The upstream instance's id, or a rejection when it has none. */
    public String instanceId(JsonNode instance) {
        String id = instance.path("id").asText("");
        if (id.isBlank() || !instance.path("id").canConvertToLong()) {
            throw new ProviderDataException(source, "?", "backup_instance has no id", instance.toString());
        }
        return id;
    }

    /** This hub's definition of an upstream instance: {@code backupify-<its definition id>} when that is a usable name. */
    public static String definitionId(JsonNode instance) {
        String upstream = instance.path("backup_definition_id").asText("").toLowerCase(Locale.ROOT);
        return DEFINITION_TOKEN.matcher(upstream).matches() ? "backupify-" + upstream : FIXED_DEFINITION;
    }

    /**
     * Maps one upstream backup of one upstream instance, with its records. The fingerprint is the backup list item's,
     * which is what the next poll compares against.
     */
    public CatalogBackup toCatalogBackup(JsonNode instance, JsonNode backup, String fingerprint,
                                         List<UpstreamRecord> records) {
        String instanceId = instanceId(instance);
        String backupId = backup.path("id").asText("");
        if (backupId.isBlank() || !backup.path("id").canConvertToLong()) {
            throw reject("?", "backup has no id", backup);
        }
        OffsetDateTime started = time(backup, "started_at", backupId);
        if (started == null) {
            throw reject(backupId, "backup has no started_at", backup);
        }
        List<String> unknown = new ArrayList<>();
        String rawStatus = text(backup.path("status"));
        BackupStatus status = rawStatus == null ? null : wire(BackupStatus.class, rawStatus);
        if (status == null || status == BackupStatus.UNKNOWN) {
            unknown.add(rawStatus == null ? "status missing" : "status '" + rawStatus + "'");
            status = BackupStatus.UNKNOWN;
        }
        String rawType = text(backup.path("type"));
        BackupType type = rawType == null ? null : wire(BackupType.class, rawType);
        if (type == null) {
            unknown.add(rawType == null ? "type missing" : "type '" + rawType + "'");
            type = BackupType.UNKNOWN;
        }
        OffsetDateTime completed = status.isFinal() ? time(backup, "completed_at", backupId) : null;

        String definition = definitionId(instance);
        String upstreamDefinition = instance.path("backup_definition_id").asText("");
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("backup_instance_id", instanceId);
        keys.put("backup_definition_id", upstreamDefinition);
        if (instance.path("provider").isTextual()) {
            keys.put("provider", instance.path("provider").asText());
        }
        String name = instance.path("name").asText("");
        return new CatalogBackup(BackupifyProvider.ID, customer, definition,
                FIXED_DEFINITION.equals(definition) ? "Backupify instance" : "Backupify " + upstreamDefinition,
                instanceId, name.isBlank() ? "backup_instance " + instanceId : name, keys,
                backupId, status, type, started, completed,
                backup.path("size_bytes").canConvertToLong() ? backup.path("size_bytes").asLong() : null,
                warnings(backup), null, fingerprint,
                records.stream().map(UpstreamRecord::catalogRecord).toList(),
                rawStatus, unknown, source);
    }

    /**
     * One upstream record list item, for the backup it belongs to ({@code backup_id}); its upstream id is the record's
     * provider id, which is what the blob operation needs.
     */
    public UpstreamRecord record(String endpoint, String endpointDescription, JsonNode record) {
        String id = record.path("id").asText("");
        if (id.isBlank() || !record.path("id").canConvertToLong()) {
            throw reject("?", "record of endpoint '" + endpoint + "' has no id", record);
        }
        String backupId = record.path("backup_id").asText("");
        String name = record.path("name").asText("");
        if (name.isBlank()) {
            throw reject(backupId, "record " + id + " has no name", record);
        }
        String contentType = record.path("content_type").isTextual() ? record.path("content_type").asText()
                : ContentTypes.forName(name);
        String sha256 = record.path("sha256").isTextual() ? record.path("sha256").asText().toLowerCase(Locale.ROOT) : null;
        return new UpstreamRecord(backupId, sha256, new CatalogRecord(endpoint,
                endpointDescription == null || endpointDescription.isBlank() ? "Records of " + endpoint : endpointDescription,
                id, name, contentType, record.path("size_bytes").canConvertToLong() ? record.path("size_bytes").asLong() : null));
    }

    private static List<String> warnings(JsonNode backup) {
        List<String> warnings = new ArrayList<>();
        backup.path("warnings").forEach(w -> warnings.add(w.isTextual() ? w.asText() : w.toString()));
        return warnings;
    }

    private OffsetDateTime time(JsonNode backup, String field, String backupId) {
        String value = text(backup.path(field));
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw reject(backupId, field + " is not a date-time: '" + value + "'", backup);
        }
    }

    private static <E extends Enum<E>> E wire(Class<E> type, String name) {
        try {
            return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        if (!node.isTextual() || node.asText().isBlank()) {
            return null;
        }
        String text = node.asText();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private ProviderDataException reject(String id, String reason, JsonNode item) {
        return new ProviderDataException(source, id, reason, item.toString());
    }
}
