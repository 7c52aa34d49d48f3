package io.backuphub.fanout.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * its key goes into the {@code notifications} table, with one pending delivery per channel that takes it
 * (the outbox, {@link NotifyOutbox}), and a key already there means the event was raised before (by an
 * earlier poll, before a restart, or by another node) and is dropped. Where the code allows, the event
 * commits in the same transaction as the change that raised it.
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
    private final NotifyChannels channels;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration batchWindow;

    public NotifyEvents(Catalog catalog, CopyQueue copies, NotifyChannels channels, ObjectMapper json, Clock clock,
                        Duration batchWindow) {
        this.catalog = catalog;
        this.copies = copies;
        this.channels = channels;
        this.json = json;
        this.clock = clock;
        this.batchWindow = batchWindow;
    }

    public Map<String, Object> backupStored(long backupId) {
        return catalog.inTransaction(c -> backupStored(c, backupId));
    }

    /** {@code backup.stored} committed in the caller's transaction (the one that stored the last copy). */
    public Map<String, Object> backupStored(Connection c, long backupId) throws SQLException {
        Map<String, Object> fields = backupFields(c, backupId);
        fields.put("copies", copies.copiesOfBackup(c, backupId));
        return raise(c, BACKUP_STORED, BACKUP_STORED + ":" + backupId, fields);
    }

    public Map<String, Object> backupFailed(long backupId) {
        return raise(BACKUP_FAILED, BACKUP_FAILED + ":" + backupId, catalog.inTransaction(c -> backupFields(c, backupId)));
    }

    /** The backup's provider warnings as an event, or null when it has none (or they were notified). */
    public Map<String, Object> providerWarnings(long backupId) {
        Map<String, Object> fields = catalog.inTransaction(c -> backupFields(c, backupId));
        return ((List<?>) fields.get("warnings")).isEmpty() ? null
                : raise(PROVIDER_WARNINGS, PROVIDER_WARNINGS + ":" + backupId, fields);
    }

    /**
     * The backup's values the hub does not know ({@code unknown_values}, with the raw {@code provider_status}) as an
     * event, or null when it has none or these very values were notified before; other values raise it again.
     */
    public Map<String, Object> providerUnknownValues(long backupId) {
        // the backup's unknown values and its event fields, read together
        Map<String, Object> fields = catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT unknown_values, provider_status FROM backups WHERE id = ?")) {
                ps.setLong(1, backupId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        return null;
                    }
                    Map<String, Object> read = backupFields(c, backupId);
                    read.put("unknown_values", rs.getString(1));
                    read.put("provider_status", rs.getString(2));
                    return read;
                }
            }
        });
        if (fields == null) {
            return null;
        }
        String unknown = (String) fields.get("unknown_values");
        try {
            fields.put("unknown_values", json.readValue(unknown, new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            fields.put("unknown_values", List.of(unknown));
        }
        return raise(PROVIDER_UNKNOWN_VALUES, PROVIDER_UNKNOWN_VALUES + ":" + backupId + ":" + shortHash(unknown), fields);
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Object> copyFailed(CopyTask task, String reason) {
        return catalog.inTransaction(c -> copyFailed(c, task, reason));
    }

    /** {@code copy.failed} committed in the caller's transaction (the one that made the copy a dead letter). */
    public Map<String, Object> copyFailed(Connection c, CopyTask task, String reason) throws SQLException {
        Map<String, Object> fields = backupFields(c, task.backupId());
        fields.put("record_id", task.recordId());
        fields.put("record_name", task.recordName());
        fields.put("target", task.target());
        fields.put("reason", reason);
        return raise(c, COPY_FAILED, COPY_FAILED + ":" + task.copyId(), fields);
    }

    /**
     * Raises an event once per key: returns the event, or null if that key was raised before. Other
     * parts of the hub (exports: {@link #EXPORT_READY}) raise their events through this.
     */
    public Map<String, Object> raise(String type, String key, Map<String, Object> fields) {
        try {
            return catalog.inTransaction(c -> raise(c, type, key, fields));
        } catch (CatalogException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return null; // another node raised it at the same moment
            }
            throw e;
        }
    }

    /**
     * Raises an event once per key in the caller's transaction: the event row and one pending delivery per
     * channel that takes it (the outbox, sent by {@link NotifyOutbox}) commit with the caller's change, or
     * neither does. Returns the event, or null if that key was raised before. Fields whose name starts with
     * {@code _} are kept for delivery and never sent ({@link NotifyOutbox#finishing}).
     */
    public Map<String, Object> raise(Connection c, String type, String key, Map<String, Object> fields)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM notifications WHERE event_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return null;
                }
            }
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", key);
        event.put("event", type);
        event.put("occurred_at", now.toString());
        event.putAll(fields);
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + key + " cannot be written as JSON", e);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO notifications (event_key, event, payload, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, type);
            ps.setString(3, payload);
            ps.setObject(4, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO notification_deliveries (event_key, channel, event, status, attempts, next_attempt_at, "
                        + "created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)")) {
            for (String channel : channels.takers(type)) {
                ps.setString(1, key);
                ps.setString(2, channel);
                ps.setString(3, type);
                ps.setString(4, NotifyOutbox.PENDING);
                // events of one type raised within the window leave together, as one message per channel
                ps.setObject(5, now.plus(batchWindow));
                ps.setObject(6, now);
                ps.setObject(7, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return event;
    }

    /**
     * Raises the events a kill may have cut off between a change and its event: {@code backup.failed} of
     * failed backups and {@code backup.stored} of backups whose every copy is stored, when the catalog has no
     * such event yet (at most {@code limit} of each). Returns how many were raised.
     */
    public int raiseMissed(int limit) {
        int raised = 0;
        for (long id : backupsWithout(BACKUP_FAILED, "b.status = 'failed'", limit)) {
            raised += backupFailed(id) == null ? 0 : 1;
        }
        for (long id : backupsWithout(BACKUP_STORED, "EXISTS (SELECT 1 FROM copies x WHERE x.backup_id = b.id) "
                + "AND NOT EXISTS (SELECT 1 FROM copies x WHERE x.backup_id = b.id AND x.status <> 'stored')", limit)) {
            try {
                raised += backupStored(id) == null ? 0 : 1;
            } catch (CatalogException e) {
                if (!(e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState()))) {
                    throw e;
                }
            }
        }
        return raised;
    }

    private List<Long> backupsWithout(String type, String condition, int limit) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT b.id FROM backups b WHERE " + condition
                    + " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.event_key = CONCAT('" + type + ":', b.id)) "
                    + "ORDER BY b.id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY");
                 ResultSet rs = ps.executeQuery()) {
                List<Long> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
                return ids;
            }
        });
    }

    private Map<String, Object> backupFields(Connection c, long backupId) throws SQLException {
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
    }
}
