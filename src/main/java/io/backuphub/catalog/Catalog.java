package io.backuphub.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.provider.SyncRun;

/**
 * The catalog's write side for ingestion: idempotent upserts of provider backups, sync cursors and
 * rejected items. Every method is one transaction; the unique constraints are the idempotency keys,
 * so two nodes ingesting the same item end with one row.
 */
public class Catalog {

    /** SQLSTATE for a unique-constraint violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_REJECT_PAYLOAD = 65_536;

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;

    private final String node;

    public Catalog(DataSource dataSource, ObjectMapper json, Clock clock, String node) {
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
        this.node = node;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The fingerprint stored for a provider backup, if the catalog has it. */
    public Optional<String> fingerprint(String source, String providerBackupId) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT fingerprint FROM backups WHERE source = ? AND provider_backup_id = ?")) {
                ps.setString(1, source);
                ps.setString(2, providerBackupId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Whether the connection's item is already in the catalog exactly as the provider sends it now. */
    public boolean isUnchanged(String source, String providerBackupId, String fingerprint) {
        return fingerprint(source, providerBackupId).filter(fingerprint::equals).isPresent();
    }

    public boolean contains(String source, String providerBackupId) {
        return fingerprint(source, providerBackupId).isPresent();
    }

    /** Whether the catalog already holds this backup exactly as the provider sends it now. */
    public boolean isCurrent(CatalogBackup backup) {
        return isUnchanged(backup.source(), backup.providerBackupId(), backup.fingerprint());
    }

    /** Whether the catalog holds this backup at all (records included: they are written with it). */
    public boolean isKnown(CatalogBackup backup) {
        return contains(backup.source(), backup.providerBackupId());
    }

    /**
     * Inserts a new backup (with its instance, customer, definition, endpoints and records) or updates
     * a known one in place. One transaction: a crash leaves either all of it or none of it.
     */
    public IngestOutcome upsertBackup(CatalogBackup backup) {
        try {
            return inTransaction(c -> upsert(c, backup));
        } catch (CatalogException e) {
            if (isUniqueViolation(e)) {
                // another node (or a concurrent sync) inserted the same key first: now it is an update
                return inTransaction(c -> upsert(c, backup));
            }
            throw e;
        }
    }

    private IngestOutcome upsert(Connection c, CatalogBackup b) throws SQLException {
        OffsetDateTime now = now();
        long customerId = ensureCustomer(c, b.customer(), now);
        ensureDefinition(c, b, now);
        long instanceId = ensureInstance(c, b, customerId, now);

        Long backupId = null;
        String storedFingerprint = null;
        String storedUnknown = null;
        long storedInstanceId = instanceId;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, fingerprint, unknown_values, backup_instance_id "
                + "FROM backups WHERE source = ? AND provider_backup_id = ?")) {
            ps.setString(1, b.source());
            ps.setString(2, b.providerBackupId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    backupId = rs.getLong(1);
                    storedFingerprint = rs.getString(2);
                    storedUnknown = rs.getString(3);
                    storedInstanceId = rs.getLong(4);
                }
            }
        }
        if (backupId != null && storedInstanceId != instanceId) {
            reclaim(c, backupId, storedInstanceId, instanceId, now);
        }

        IngestOutcome.Change change;
        if (backupId == null) {
            backupId = insertBackup(c, b, instanceId, now);
            change = IngestOutcome.Change.NEW;
        } else if (b.fingerprint().equals(storedFingerprint)) {
            change = IngestOutcome.Change.UNCHANGED;
        } else {
            updateBackup(c, b, backupId, now);
            change = IngestOutcome.Change.UPDATED;
        }
        if (b.records() != null) {
            for (CatalogRecord r : b.records()) {
                ensureEndpoint(c, instanceId, r);
                insertRecordIfAbsent(c, backupId, instanceId, r, now);
            }
        }
        if (change != IngestOutcome.Change.UNCHANGED && b.completedAt() != null && b.status().isRestorable()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE backup_instances SET last_backup_at = ?, updated_at = ? "
                            + "WHERE id = ? AND (last_backup_at IS NULL OR last_backup_at < ?)")) {
                ps.setObject(1, b.completedAt());
                ps.setObject(2, now);
                ps.setLong(3, instanceId);
                ps.setObject(4, b.completedAt());
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM ingest_rejects WHERE source = ? AND provider_item_id = ?")) {
            ps.setString(1, b.source());
            ps.setString(2, b.providerBackupId());
            ps.executeUpdate();
        }
        // values the hub does not know are reported once: when the backup is new or they differ from the stored ones
        boolean unknownIsNew = !b.unknownValues().isEmpty() && change != IngestOutcome.Change.UNCHANGED
                && (change == IngestOutcome.Change.NEW || !unknownJson(b).equals(storedUnknown));
        return new IngestOutcome(change, b.source(), b.providerBackupId(), backupId, instanceId, b.status(),
                unknownIsNew ? b.unknownValues() : List.of());
    }

    /**
     * Gives a backup held by an instance of another customer (registered under that customer before registration
     * checked ownership, or before {@code hub.<source>.customer} changed) back to the instance of the customer
     * whose provider account has it, with its records: the provider's data belongs to that account's customer.
     */
    private static void reclaim(Connection c, long backupId, long fromInstanceId, long instanceId, OffsetDateTime now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO endpoints (backup_instance_id, name, description) "
                + "SELECT ?, e.name, e.description FROM endpoints e WHERE e.backup_instance_id = ? "
                + "AND e.name IN (SELECT r.endpoint_name FROM records r WHERE r.backup_id = ?) "
                + "AND NOT EXISTS (SELECT 1 FROM endpoints x WHERE x.backup_instance_id = ? AND x.name = e.name)")) {
            ps.setLong(1, instanceId);
            ps.setLong(2, fromInstanceId);
            ps.setLong(3, backupId);
            ps.setLong(4, instanceId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE backups SET backup_instance_id = ?, updated_at = ? WHERE id = ?")) {
            ps.setLong(1, instanceId);
            ps.setObject(2, now);
            ps.setLong(3, backupId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE records SET backup_instance_id = ? WHERE backup_id = ?")) {
            ps.setLong(1, instanceId);
            ps.setLong(2, backupId);
            ps.executeUpdate();
        }
    }

    /** The JSON list kept in {@code backups.unknown_values}, or null when the hub knows every value. */
    private String unknownJson(CatalogBackup b) {
        return b.unknownValues().isEmpty() ? null : truncate(toJson(b.unknownValues()), 2000);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private long ensureCustomer(Connection c, String name, OffsetDateTime now) throws SQLException {
        Optional<Long> id = findId(c, "SELECT id FROM customers WHERE name = ?", name);
        if (id.isPresent()) {
            return id.get();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO customers (name, created_at) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setObject(2, now);
            ps.executeUpdate();
            return generatedId(ps);
        }
    }

    private void ensureDefinition(Connection c, CatalogBackup b, OffsetDateTime now) throws SQLException {
        if (findId(c, "SELECT 1 FROM backup_definitions WHERE id = ?", b.definitionId()).isPresent()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO backup_definitions (id, provider, name, description, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, b.definitionId());
            ps.setString(2, b.provider());
            ps.setString(3, b.definitionName());
            ps.setString(4, b.definitionName() + " backups from " + b.provider());
            ps.setObject(5, now);
            ps.executeUpdate();
        }
    }

    private long ensureInstance(Connection c, CatalogBackup b, long customerId, OffsetDateTime now)
            throws SQLException {
        // only the instance of the account's own customer: one registered under another customer never
        // captures what this account's poll finds (that customer then gets its own instance)
        Optional<Long> id = findId(c, "SELECT id FROM backup_instances WHERE COALESCE(source, provider) = ? "
                + "AND source_key = ? "
                + "AND customer_id = ?", b.source(), b.instanceKey(), customerId);
        if (id.isPresent()) {
            return id.get();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source_key, source_json, "
                        + "name, backup_frequency, status, created_at, updated_at, source) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, customerId);
            ps.setString(2, b.definitionId());
            ps.setString(3, b.provider());
            ps.setString(4, b.instanceKey());
            ps.setString(5, toJson(b.instanceSource()));
            ps.setString(6, b.instanceName());
            ps.setString(7, null);
            ps.setString(8, "active");
            ps.setObject(9, now);
            ps.setObject(10, now);
            ps.setString(11, b.source());
            ps.executeUpdate();
            return generatedId(ps);
        }
    }

    private long insertBackup(Connection c, CatalogBackup b, long instanceId, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO backups (backup_instance_id, provider, provider_backup_id, status, type, started_at, "
                        + "completed_at, size_bytes, warnings_json, status_detail, fingerprint, created_at, updated_at, "
                        + "provider_status, unknown_values, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, instanceId);
            ps.setString(2, b.provider());
            ps.setString(3, b.providerBackupId());
            ps.setString(4, b.status().wireName());
            ps.setString(5, b.type().wireName());
            ps.setObject(6, b.startedAt());
            ps.setObject(7, b.completedAt());
            ps.setObject(8, b.sizeBytes());
            ps.setString(9, toJson(b.warnings()));
            ps.setString(10, b.statusDetail());
            ps.setString(11, b.fingerprint());
            ps.setObject(12, now);
            ps.setObject(13, now);
            ps.setString(14, truncate(b.providerStatus(), 200));
            ps.setString(15, unknownJson(b));
            ps.setString(16, b.source());
            ps.executeUpdate();
            return generatedId(ps);
        }
    }

    private void updateBackup(Connection c, CatalogBackup b, long backupId, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE backups SET status = ?, type = ?, started_at = ?, completed_at = ?, size_bytes = ?, "
                        + "warnings_json = ?, status_detail = ?, fingerprint = ?, updated_at = ?, provider_status = ?, "
                        + "unknown_values = ? WHERE id = ?")) {
            ps.setString(1, b.status().wireName());
            ps.setString(2, b.type().wireName());
            ps.setObject(3, b.startedAt());
            ps.setObject(4, b.completedAt());
            ps.setObject(5, b.sizeBytes());
            ps.setString(6, toJson(b.warnings()));
            ps.setString(7, b.statusDetail());
            ps.setString(8, b.fingerprint());
            ps.setObject(9, now);
            ps.setString(10, truncate(b.providerStatus(), 200));
            ps.setString(11, unknownJson(b));
            ps.setLong(12, backupId);
            ps.executeUpdate();
        }
    }

    private void ensureEndpoint(Connection c, long instanceId, CatalogRecord r) throws SQLException {
        if (findId(c, "SELECT 1 FROM endpoints WHERE backup_instance_id = ? AND name = ?", instanceId,
                r.endpoint()).isPresent()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO endpoints (backup_instance_id, name, description) VALUES (?, ?, ?)")) {
            ps.setLong(1, instanceId);
            ps.setString(2, r.endpoint());
            ps.setString(3, r.endpointDescription());
            ps.executeUpdate();
        }
    }

    private void insertRecordIfAbsent(Connection c, long backupId, long instanceId, CatalogRecord r,
                                      OffsetDateTime now) throws SQLException {
        if (findId(c, "SELECT id FROM records WHERE backup_id = ? AND endpoint_name = ? AND provider_record_id = ?",
                backupId, r.endpoint(), r.providerRecordId()).isPresent()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO records (backup_id, backup_instance_id, endpoint_name, provider_record_id, name, "
                        + "content_type, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, backupId);
            ps.setLong(2, instanceId);
            ps.setString(3, r.endpoint());
            ps.setString(4, r.providerRecordId());
            ps.setString(5, r.name());
            ps.setString(6, r.contentType());
            ps.setObject(7, r.sizeBytes());
            ps.setObject(8, now);
            ps.executeUpdate();
        }
    }

    /** The provider and provider keys of an instance, if it exists. */
    public Optional<InstanceSource> instanceSource(long instanceId) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT provider, source_key, source_json, COALESCE(source, provider) FROM backup_instances "
                            + "WHERE id = ?")) {
                ps.setLong(1, instanceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<InstanceSource>empty();
                    }
                    Map<String, String> keys = json.readValue(rs.getString(3), new TypeReference<Map<String, String>>() { });
                    return Optional.of(new InstanceSource(instanceId, rs.getString(1), rs.getString(2), keys,
                            rs.getString(4)));
                } catch (JsonProcessingException e) {
                    throw new SQLException("instance " + instanceId + " has unreadable source_json", e);
                }
            }
        });
    }

    /** The stored cursor of a source's sync, if any. */
    public Optional<String> cursor(String source, String scope) {
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT cursor_value FROM sync_cursors WHERE source = ? AND scope = ?")) {
                ps.setString(1, source);
                ps.setString(2, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    /** Stores a cursor; called only after the data it covers is committed. */
    public void saveCursor(String source, String scope, String value) {
        inTransaction(c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_cursors SET cursor_value = ?, updated_at = ? WHERE source = ? AND scope = ?")) {
                ps.setString(1, value);
                ps.setObject(2, now());
                ps.setString(3, source);
                ps.setString(4, scope);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO sync_cursors (source, scope, cursor_value, updated_at) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, source);
                    ps.setString(2, scope);
                    ps.setString(3, value);
                    ps.setObject(4, now());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Forgets a cursor, so the next sync starts from the beginning of that scope. */
    public void deleteCursor(String source, String scope) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_cursors WHERE source = ? AND scope = ?")) {
                ps.setString(1, source);
                ps.setString(2, scope);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Keeps a provider item the hub could not ingest, whole and with the reason, once per item.
     *
     * @return how many times this item has been rejected so far
     */
    public int reject(String source, String providerItemId, String routeId, String reason, String payload) {
        String kept = payload != null && payload.length() > MAX_REJECT_PAYLOAD
                ? payload.substring(0, MAX_REJECT_PAYLOAD) : payload;
        String shortReason = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE ingest_rejects SET reason = ?, payload = ?, route_id = ?, attempts = attempts + 1, "
                            + "last_seen_at = ? WHERE source = ? AND provider_item_id = ?")) {
                ps.setString(1, shortReason);
                ps.setString(2, kept);
                ps.setString(3, routeId);
                ps.setObject(4, now());
                ps.setString(5, source);
                ps.setString(6, providerItemId);
                if (ps.executeUpdate() > 0) {
                    return findId(c, "SELECT attempts FROM ingest_rejects WHERE source = ? AND provider_item_id = ?",
                            source, providerItemId).orElseThrow().intValue();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ingest_rejects (source, provider_item_id, route_id, reason, payload, attempts, "
                            + "first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)")) {
                ps.setString(1, source);
                ps.setString(2, providerItemId);
                ps.setString(3, routeId);
                ps.setString(4, shortReason);
                ps.setString(5, kept);
                ps.setObject(6, now());
                ps.setObject(7, now());
                ps.executeUpdate();
                return 1;
            }
        });
    }

    /** Records how a sync ended, for health, JMX, metrics and the logs API. */
    public void recordSyncRun(SyncRun run) {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sync_runs (source, scope, node, started_at, finished_at, outcome, seen, created, "
                            + "updated, rejected, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, run.source());
                ps.setString(2, run.scope());
                ps.setString(3, node);
                ps.setObject(4, run.startedAt().atOffset(ZoneOffset.UTC));
                ps.setObject(5, now());
                ps.setString(6, run.succeeded() ? "succeeded" : "failed");
                ps.setInt(7, run.seenCount());
                ps.setInt(8, run.newCount());
                ps.setInt(9, run.updatedCount());
                ps.setInt(10, run.rejectedCount());
                ps.setString(11, run.error() == null ? null : run.error().substring(0, Math.min(2000, run.error().length())));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Counts rows of a catalog table, for operators and tests. */
    public long count(String table) {
        if (!List.of("customers", "backup_definitions", "backup_instances", "backups", "endpoints", "records",
                "exports", "ingest_rejects", "sync_cursors", "sync_runs").contains(table)) {
            throw new IllegalArgumentException("not a catalog table: " + table);
        }
        return inTransaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value == null ? List.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value, e);
        }
    }

    private static Optional<Long> findId(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static long generatedId(PreparedStatement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no generated key returned");
            }
            return keys.getLong(1);
        }
    }

    private static boolean isUniqueViolation(CatalogException e) {
        return e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
    }

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CatalogException("catalog: " + e.getMessage(), e);
        }
    }
}
