package io.backuphub.fanout.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.BackupChange;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import io.backuphub.fanout.storage.CopyQueue;
import io.backuphub.fanout.storage.CopyTask;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementException;

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


    private static final RowMapper<UnknownRow> UNKNOWN = ConstructorMapper.of(UnknownRow.class);
    private static final RowMapper<BackupRow> BACKUP = ConstructorMapper.of(BackupRow.class);
    /** What every backup event says of its backup, read with a condition on {@code b}. */
    private static final String BACKUP_SELECT = "SELECT b.id AS backup_id, b.provider, b.provider_backup_id, b.status, "
            + "b.status_detail, b.warnings_json AS warnings, b.completed_at, i.id AS instance_id, "
            + "i.name AS instance_name, cu.name AS customer FROM backups b "
            + "JOIN backup_instances i ON i.id = b.backup_instance_id JOIN customers cu ON cu.id = i.customer_id ";

    private final Jdbi jdbi;
    private final CopyQueue copies;
    private final NotifyChannels channels;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration batchWindow;

    public NotifyEvents(Catalog catalog, CopyQueue copies, NotifyChannels channels, ObjectMapper json, Clock clock,
                        Duration batchWindow) {
        this.jdbi = CatalogJdbi.of(catalog);
        this.copies = copies;
        this.channels = channels;
        this.json = json;
        this.clock = clock;
        this.batchWindow = batchWindow;
    }

    public Map<String, Object> backupStored(long backupId) {
        return jdbi.inTransaction(h -> backupStored(h, backupId));
    }

    private Map<String, Object> backupStored(Handle h, long backupId) {
        Map<String, Object> fields = backupFields(h, backupId);
        fields.put("copies", copies.copiesOfBackup(h.getConnection(), backupId));
        return raise(h, BACKUP_STORED, BACKUP_STORED + ":" + backupId, fields);
    }

    /**
     * {@code backup.stored} of several backups, committed in the caller's transaction (the one that stored their last
     * copies), set-based: one query for the events raised before, one for the backups, one for their copies, and one
     * batch each for the events and their deliveries. Returns the events raised (not those raised before).
     */
    public List<Map<String, Object>> backupsStored(Connection c, List<Long> backupIds) {
        if (backupIds.isEmpty()) {
            return List.of();
        }
        return CatalogJdbi.onConnection(c, h -> {
            Set<String> raisedBefore = new HashSet<>(h.createQuery(
                            "SELECT event_key FROM notifications WHERE event_key IN (<keys>)")
                    .bindList("keys", backupIds.stream().map(id -> BACKUP_STORED + ":" + id).toList())
                    .mapTo(String.class)
                    .list());
            List<Long> ids = backupIds.stream().filter(id -> !raisedBefore.contains(BACKUP_STORED + ":" + id)).toList();
            if (ids.isEmpty()) {
                return List.of();
            }
            Map<Long, Map<String, Object>> fields = new LinkedHashMap<>();
            h.createQuery(BACKUP_SELECT + "WHERE b.id IN (<ids>) ORDER BY b.id")
                    .bindList("ids", ids)
                    .map(BACKUP)
                    .forEach(row -> fields.put(row.backupId(), row.fields()));
            Map<Long, List<Map<String, Object>>> lineage = copies.copiesOfBackups(h.getConnection(), ids);
            Map<String, Map<String, Object>> events = new LinkedHashMap<>();
            for (Map.Entry<Long, Map<String, Object>> backup : fields.entrySet()) {
                backup.getValue().put("copies", lineage.getOrDefault(backup.getKey(), List.of()));
                events.put(BACKUP_STORED + ":" + backup.getKey(), backup.getValue());
            }
            return raiseAll(h, BACKUP_STORED, events);
        });
    }

    public Map<String, Object> backupFailed(long backupId) {
        return raise(BACKUP_FAILED, BACKUP_FAILED + ":" + backupId, jdbi.withHandle(h -> backupFields(h, backupId)));
    }

    /** {@code backup.failed} of each failed backup of a page of changes: the events raised (not those raised before). */
    public List<Map<String, Object>> backupsFailed(List<BackupChange> changes) {
        List<Map<String, Object>> raised = new ArrayList<>();
        for (BackupChange change : changes) {
            if ("failed".equals(change.status())) {
                Optional.ofNullable(backupFailed(change.backupId())).ifPresent(raised::add);
            }
        }
        return raised;
    }

    /** {@code provider.unknown_values} of each backup of a page of changes with values new to the catalog. */
    public List<Map<String, Object>> providersUnknownValues(List<BackupChange> changes) {
        List<Map<String, Object>> raised = new ArrayList<>();
        for (BackupChange change : changes) {
            if (change.unknownValues() > 0) {
                Optional.ofNullable(providerUnknownValues(change.backupId())).ifPresent(raised::add);
            }
        }
        return raised;
    }

    /** The backup's provider warnings as an event, or null when it has none (or they were notified). */
    public Map<String, Object> providerWarnings(long backupId) {
        Map<String, Object> fields = jdbi.withHandle(h -> backupFields(h, backupId));
        return ((List<?>) fields.get("warnings")).isEmpty() ? null
                : raise(PROVIDER_WARNINGS, PROVIDER_WARNINGS + ":" + backupId, fields);
    }

    /**
     * The backup's values the hub does not know ({@code unknown_values}, with the raw {@code provider_status}) as an
     * event, or null when it has none or these very values were notified before; other values raise it again.
     */
    public Map<String, Object> providerUnknownValues(long backupId) {
        // the backup's unknown values and its event fields, read together
        Map<String, Object> fields = jdbi.inTransaction(h -> h.createQuery(
                        "SELECT unknown_values, provider_status FROM backups WHERE id = :id")
                .bind("id", backupId)
                .map(UNKNOWN)
                .findOne()
                .filter(row -> row.unknownValues() != null)
                .map(row -> {
                    Map<String, Object> read = backupFields(h, backupId);
                    read.put("unknown_values", row.unknownValues());
                    read.put("provider_status", row.providerStatus());
                    return read;
                })
                .orElse(null));
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
        return jdbi.inTransaction(h -> copyFailed(h, task, reason));
    }

    /** {@code copy.failed} committed in the caller's transaction (the one that made the copy a dead letter). */
    public Map<String, Object> copyFailed(Connection c, CopyTask task, String reason) {
        return CatalogJdbi.onConnection(c, h -> copyFailed(h, task, reason));
    }

    private Map<String, Object> copyFailed(Handle h, CopyTask task, String reason) {
        Map<String, Object> fields = backupFields(h, task.backupId());
        fields.put("record_id", task.recordId());
        fields.put("record_name", task.recordName());
        fields.put("target", task.target());
        fields.put("reason", reason);
        return raise(h, COPY_FAILED, COPY_FAILED + ":" + task.copyId(), fields);
    }

    /**
     * Raises an event once per key: returns the event, or null if that key was raised before. Other
     * parts of the hub (exports: {@link #EXPORT_READY}) raise their events through this.
     */
    public Map<String, Object> raise(String type, String key, Map<String, Object> fields) {
        try {
            return jdbi.inTransaction(h -> raise(h, type, key, fields));
        } catch (StatementException e) {
            if (CatalogJdbi.isUniqueViolation(e)) {
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
    public Map<String, Object> raise(Connection c, String type, String key, Map<String, Object> fields) {
        return CatalogJdbi.onConnection(c, h -> raise(h, type, key, fields));
    }

    private Map<String, Object> raise(Handle h, String type, String key, Map<String, Object> fields) {
        boolean raised = h.createQuery("SELECT 1 FROM notifications WHERE event_key = :key")
                .bind("key", key)
                .mapTo(Integer.class)
                .findOne()
                .isPresent();
        if (raised) {
            return null;
        }
        return raiseAll(h, type, Map.of(key, fields)).get(0);
    }

    /**
     * Raises events of one type not raised before (the caller checked their keys), by key, in the handle's
     * transaction: one batch of events and one of their deliveries. Returns the events.
     */
    private List<Map<String, Object>> raiseAll(Handle h, String type, Map<String, Map<String, Object>> fieldsByKey) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        List<String> takers = channels.takers(type);
        PreparedBatch notifications = h.prepareBatch("INSERT INTO notifications (event_key, event, payload, created_at) "
                + "VALUES (:key, :type, :payload, :now)");
        PreparedBatch deliveries = h.prepareBatch("INSERT INTO notification_deliveries (event_key, channel, event, "
                + "status, attempts, next_attempt_at, created_at, updated_at) "
                + "VALUES (:key, :channel, :type, :pending, 0, :due, :now, :now)");
        List<Map<String, Object>> raised = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> entry : fieldsByKey.entrySet()) {
            String key = entry.getKey();
            Map<String, Object> event = event(type, key, now, entry.getValue());
            notifications.bind("key", key)
                    .bind("type", type)
                    .bind("payload", payload(key, event))
                    .bind("now", now)
                    .add();
            for (String channel : takers) {
                deliveries.bind("key", key)
                        .bind("channel", channel)
                        .bind("type", type)
                        .bind("pending", NotifyOutbox.PENDING)
                        // events of one type raised within the window leave together, as one message per channel
                        .bind("due", now.plus(batchWindow))
                        .bind("now", now)
                        .add();
            }
            raised.add(event);
        }
        if (notifications.size() > 0) {
            notifications.execute();
        }
        if (deliveries.size() > 0) {
            deliveries.execute();
        }
        return raised;
    }

    private static Map<String, Object> event(String type, String key, OffsetDateTime now, Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", key);
        event.put("event", type);
        event.put("occurred_at", now.toString());
        event.putAll(fields);
        return event;
    }

    private String payload(String key, Map<String, Object> event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + key + " cannot be written as JSON", e);
        }
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
            } catch (StatementException e) {
                if (!CatalogJdbi.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
        return raised;
    }

    private List<Long> backupsWithout(String type, String condition, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT b.id FROM backups b WHERE " + condition
                        + " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.event_key = CONCAT('" + type + ":', b.id)) "
                        + "ORDER BY b.id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")
                .mapTo(Long.class)
                .list());
    }

    private Map<String, Object> backupFields(Handle h, long backupId) {
        return h.createQuery(BACKUP_SELECT + "WHERE b.id = :id")
                .bind("id", backupId)
                .map(BACKUP)
                .findOne()
                .map(BackupRow::fields)
                .orElseThrow(() -> new IllegalArgumentException("no backup " + backupId));
    }

    /** A backup's unknown values, as stored (JSON text). */
    private record UnknownRow(String unknownValues, String providerStatus) {
    }

    /** What every backup event says of its backup. */
    private record BackupRow(long backupId, String provider, String providerBackupId, String status,
                             String statusDetail, List<String> warnings, OffsetDateTime completedAt, long instanceId,
                             String instanceName, String customer) {
        Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("customer", customer);
            fields.put("backup_instance_id", instanceId);
            fields.put("backup_instance_name", instanceName);
            fields.put("provider", provider);
            fields.put("backup_id", backupId);
            fields.put("provider_backup_id", providerBackupId);
            fields.put("status", status);
            fields.put("status_detail", statusDetail);
            fields.put("completed_at", completedAt == null ? null : completedAt.toString());
            fields.put("warnings", warnings);
            return fields;
        }
    }
}
