package io.backuphub.fanout.notify;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogException;
import io.backuphub.fanout.storage.CopyQueue;
import io.backuphub.fanout.storage.CopyTask;

/**
 * Builds the hub's notification events ({@code notifyEvents} in the registry) and raises each exactly once:
 * its key goes into the {@code notifications} table first, and a key already there means the event was
 * raised before (by an earlier poll, before a restart, or by another node) and is dropped.
 *
 * <p>An event is a flat JSON object: {@code id} (its key), {@code event} (one of the types below),
 * {@code occurred_at}, and the fields of what it is about.
 */
public class NotifyEvents {

    /** Every record of a backup is stored and verified in every target. */
    public static final String BACKUP_STORED = "backup.stored";
    /** The provider reports the backup failed. */
    public static final String BACKUP_FAILED = "backup.failed";
    /** A copy failed after every redelivery and is now a dead letter. */
    public static final String COPY_FAILED = "copy.failed";
    /** An export the customer asked a confirmation for is ready to download ({@code send_confirmation}). */
    public static final String EXPORT_READY = "export.ready";
    /** An instance had no successful backup within twice its backup frequency. */
    public static final String INSTANCE_STALE = "instance.stale";
    /** The provider attached warnings to a backup. */
    public static final String PROVIDER_WARNINGS = "provider.warnings";
    /** The provider sent a backup with values the hub does not know (a new status): it is in the catalog as such. */
    public static final String PROVIDER_UNKNOWN_VALUES = "provider.unknown_values";

    public static final List<String> TYPES = List.of(BACKUP_STORED, BACKUP_FAILED, COPY_FAILED, EXPORT_READY,
            INSTANCE_STALE, PROVIDER_WARNINGS, PROVIDER_UNKNOWN_VALUES);

    private static final String UNIQUE_VIOLATION = "23505";

    private final Catalog catalog;
    private final CopyQueue copies;
    private final ObjectMapper json;
    private final Clock clock;

    public NotifyEvents(Catalog catalog, CopyQueue copies, ObjectMapper json, Clock clock) {
        this.catalog = catalog;
        this.copies = copies;
        this.json = json;
        this.clock = clock;
    }

    public Map<String, Object> backupStored(long backupId) {
        Map<String, Object> fields = backupFields(backupId);
        fields.put("copies", copies.copiesOfBackup(backupId));
        return raise(BACKUP_STORED, BACKUP_STORED + ":" + backupId, fields);
    }

    public Map<String, Object> backupFailed(long backupId) {
        return raise(BACKUP_FAILED, BACKUP_FAILED + ":" + backupId, backupFields(backupId));
    }

    /** The backup's provider warnings as an event, or null when it has none (or they were notified). */
    public Map<String, Object> providerWarnings(long backupId) {
        Map<String, Object> fields = backupFields(backupId);
        return ((List<?>) fields.get("warnings")).isEmpty() ? null
                : raise(PROVIDER_WARNINGS, PROVIDER_WARNINGS + ":" + backupId, fields);
    }

    /**
     * The backup's values the hub does not know ({@code unknown_values}, with the raw {@code provider_status}) as an
     * event, or null when it has none or these very values were notified before; other values raise it again.
     */
    public Map<String, Object> providerUnknownValues(long backupId) {
        String[] stored = catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT unknown_values, provider_status FROM backups WHERE id = ?")) {
                ps.setLong(1, backupId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[2];
                }
            }
        });
        if (stored[0] == null) {
            return null;
        }
        Map<String, Object> fields = backupFields(backupId);
        try {
            fields.put("unknown_values", json.readValue(stored[0], new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            fields.put("unknown_values", List.of(stored[0]));
        }
        fields.put("provider_status", stored[1]);
        return raise(PROVIDER_UNKNOWN_VALUES, PROVIDER_UNKNOWN_VALUES + ":" + backupId + ":" + shortHash(stored[0]), fields);
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Object> copyFailed(CopyTask task, String reason) {
        Map<String, Object> fields = backupFields(task.backupId());
        fields.put("record_id", task.recordId());
        fields.put("record_name", task.recordName());
        fields.put("target", task.target());
        fields.put("reason", reason);
        return raise(COPY_FAILED, COPY_FAILED + ":" + task.copyId(), fields);
    }

    /**
     * Raises an event once per key: returns the event, or null if that key was raised before. Other
     * parts of the hub (exports: {@link #EXPORT_READY}) raise their events through this.
     */
    public Map<String, Object> raise(String type, String key, Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", key);
        event.put("event", type);
        event.put("occurred_at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).toString());
        event.putAll(fields);
        try {
            String payload = json.writeValueAsString(event);
            catalog.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO notifications (event_key, event, payload, created_at) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, key);
                    ps.setString(2, type);
                    ps.setString(3, payload.length() > 20_000 ? payload.substring(0, 20_000) : payload);
                    ps.setObject(4, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
                    return ps.executeUpdate();
                }
            });
            return event;
        } catch (CatalogException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return null;
            }
            throw e;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + key + " cannot be written as JSON", e);
        }
    }

    private Map<String, Object> backupFields(long backupId) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT b.id, b.provider, b.provider_backup_id, b.status, b.status_detail, b.warnings_json, "
                            + "b.completed_at, i.id, i.name, cu.name FROM backups b "
                            + "JOIN backup_instances i ON i.id = b.backup_instance_id "
                            + "JOIN customers cu ON cu.id = i.customer_id WHERE b.id = ?")) {
                ps.setLong(1, backupId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no backup " + backupId);
                    }
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("customer", rs.getString(10));
                    fields.put("backup_instance_id", rs.getLong(8));
                    fields.put("backup_instance_name", rs.getString(9));
                    fields.put("provider", rs.getString(2));
                    fields.put("backup_id", rs.getLong(1));
                    fields.put("provider_backup_id", rs.getString(3));
                    fields.put("status", rs.getString(4));
                    fields.put("status_detail", rs.getString(5));
                    OffsetDateTime completed = rs.getObject(7, OffsetDateTime.class);
                    fields.put("completed_at", completed == null ? null
                            : completed.withOffsetSameInstant(ZoneOffset.UTC).toString());
                    fields.put("warnings", json.readValue(rs.getString(6), new TypeReference<List<String>>() { }));
                    return fields;
                } catch (JsonProcessingException e) {
                    throw new SQLException("backup " + backupId + " has unreadable warnings_json", e);
                }
            }
        });
    }
}
