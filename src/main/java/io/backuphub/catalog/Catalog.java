package io.backuphub.catalog;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.provider.SyncRun;
import org.jdbi.v3.core.CloseException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.transaction.TransactionException;

/**
 * The catalog's write side for ingestion: idempotent upserts of provider backups, sync cursors and
 * rejected items. Every method is one transaction; the unique constraints are the idempotency keys,
 * so two nodes ingesting the same item end with one row. The catalog owns the one {@link Jdbi} over its pool
 * ({@link #jdbi()}); a database failure of its own methods surfaces as a {@link CatalogException}.
 */
public class Catalog {

    /** SQLSTATE for a unique-constraint violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_REJECT_PAYLOAD = 65_536;
    private static final RowMapper<StoredBackup> STORED_BACKUP = ConstructorMapper.of(StoredBackup.class);
    private static final RowMapper<StoredSource> STORED_SOURCE = ConstructorMapper.of(StoredSource.class);

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;

    private final String node;

    public Catalog(DataSource dataSource, ObjectMapper json, Clock clock, String node) {
        this.dataSource = dataSource;
        this.jdbi = CatalogJdbi.create(dataSource);
        this.json = json;
        this.clock = clock;
        this.node = node;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The catalog's Jdbi (the mapping of {@link CatalogJdbi}): every reader and writer of the catalog uses this one. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** The fingerprint stored for a provider backup, if the catalog has it. */
    public Optional<String> fingerprint(String source, String providerBackupId) {
        return transaction(h -> h.createQuery(
                        "SELECT fingerprint FROM backups WHERE source = :source AND provider_backup_id = :providerBackupId")
                .bind("source", source)
                .bind("providerBackupId", providerBackupId)
                .mapTo(String.class)
                .findFirst());
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
            return transaction(h -> upsert(h, backup));
        } catch (CatalogException e) {
            if (isUniqueViolation(e)) {
                // another node (or a concurrent sync) inserted the same key first: now it is an update
                return transaction(h -> upsert(h, backup));
            }
            throw e;
        }
    }

    private IngestOutcome upsert(Handle h, CatalogBackup b) {
        OffsetDateTime now = now();
        long customerId = ensureCustomer(h, b.customer(), now);
        ensureDefinition(h, b, now);
        long instanceId = ensureInstance(h, b, customerId, now);

        Optional<StoredBackup> stored = h.createQuery("SELECT id, fingerprint, unknown_values, backup_instance_id "
                        + "FROM backups WHERE source = :source AND provider_backup_id = :providerBackupId")
                .bind("source", b.source())
                .bind("providerBackupId", b.providerBackupId())
                .map(STORED_BACKUP)
                .findFirst();
        if (stored.isPresent() && stored.get().backupInstanceId() != instanceId) {
            reclaim(h, stored.get().id(), stored.get().backupInstanceId(), instanceId, now);
        }

        long backupId;
        IngestOutcome.Change change;
        if (stored.isEmpty()) {
            backupId = insertBackup(h, b, instanceId, now);
            change = IngestOutcome.Change.NEW;
        } else if (b.fingerprint().equals(stored.get().fingerprint())) {
            backupId = stored.get().id();
            change = IngestOutcome.Change.UNCHANGED;
        } else {
            backupId = stored.get().id();
            updateBackup(h, b, backupId, now);
            change = IngestOutcome.Change.UPDATED;
        }
        if (b.records() != null && !b.records().isEmpty()) {
            insertMissingEndpoints(h, instanceId, b.records());
            insertMissingRecords(h, backupId, instanceId, b.records(), now);
        }
        if (change != IngestOutcome.Change.UNCHANGED && b.completedAt() != null && b.status().isRestorable()) {
            h.createUpdate("UPDATE backup_instances SET last_backup_at = :completedAt, updated_at = :now "
                            + "WHERE id = :id AND (last_backup_at IS NULL OR last_backup_at < :completedAt)")
                    .bind("completedAt", b.completedAt())
                    .bind("now", now)
                    .bind("id", instanceId)
                    .execute();
        }
        h.createUpdate("DELETE FROM ingest_rejects WHERE source = :source AND provider_item_id = :providerItemId")
                .bind("source", b.source())
                .bind("providerItemId", b.providerBackupId())
                .execute();
        // values the hub does not know are reported once: when the backup is new or they differ from the stored ones
        boolean unknownIsNew = !b.unknownValues().isEmpty() && change != IngestOutcome.Change.UNCHANGED
                && (change == IngestOutcome.Change.NEW || !unknownJson(b).equals(stored.get().unknownValues()));
        return new IngestOutcome(change, b.source(), b.providerBackupId(), backupId, instanceId, b.status(),
                unknownIsNew ? b.unknownValues() : List.of());
    }

    /**
     * Gives a backup held by an instance of another customer (registered under that customer before registration
     * checked ownership, or before {@code hub.<source>.customer} changed) back to the instance of the customer
     * whose provider account has it, with its records: the provider's data belongs to that account's customer.
     */
    private static void reclaim(Handle h, long backupId, long fromInstanceId, long instanceId, OffsetDateTime now) {
        h.createUpdate("INSERT INTO endpoints (backup_instance_id, name, description) "
                        + "SELECT :instanceId, e.name, e.description FROM endpoints e WHERE e.backup_instance_id = :fromInstanceId "
                        + "AND e.name IN (SELECT r.endpoint_name FROM records r WHERE r.backup_id = :backupId) "
                        + "AND NOT EXISTS (SELECT 1 FROM endpoints x WHERE x.backup_instance_id = :instanceId AND x.name = e.name)")
                .bind("instanceId", instanceId)
                .bind("fromInstanceId", fromInstanceId)
                .bind("backupId", backupId)
                .execute();
        h.createUpdate("UPDATE backups SET backup_instance_id = :instanceId, updated_at = :now WHERE id = :backupId")
                .bind("instanceId", instanceId)
                .bind("now", now)
                .bind("backupId", backupId)
                .execute();
        h.createUpdate("UPDATE records SET backup_instance_id = :instanceId WHERE backup_id = :backupId")
                .bind("instanceId", instanceId)
                .bind("backupId", backupId)
                .execute();
    }

    /** The JSON list kept in {@code backups.unknown_values}, or null when the hub knows every value. */
    private String unknownJson(CatalogBackup b) {
        return b.unknownValues().isEmpty() ? null : truncate(toJson(b.unknownValues()), 2000);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static long ensureCustomer(Handle h, String name, OffsetDateTime now) {
        Optional<Long> id = h.createQuery("SELECT id FROM customers WHERE name = :name")
                .bind("name", name)
                .mapTo(Long.class)
                .findFirst();
        if (id.isPresent()) {
            return id.get();
        }
        return h.createUpdate("INSERT INTO customers (name, created_at) VALUES (:name, :now)")
                .bind("name", name)
                .bind("now", now)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    private static void ensureDefinition(Handle h, CatalogBackup b, OffsetDateTime now) {
        boolean known = h.createQuery("SELECT 1 FROM backup_definitions WHERE id = :id")
                .bind("id", b.definitionId())
                .mapTo(Integer.class)
                .findFirst()
                .isPresent();
        if (known) {
            return;
        }
        h.createUpdate("INSERT INTO backup_definitions (id, provider, name, description, created_at) "
                        + "VALUES (:id, :provider, :name, :description, :now)")
                .bind("id", b.definitionId())
                .bind("provider", b.provider())
                .bind("name", b.definitionName())
                .bind("description", b.definitionName() + " backups from " + b.provider())
                .bind("now", now)
                .execute();
    }

    private long ensureInstance(Handle h, CatalogBackup b, long customerId, OffsetDateTime now) {
        // only the instance of the account's own customer: one registered under another customer never
        // captures what this account's poll finds (that customer then gets its own instance)
        Optional<Long> id = h.createQuery("SELECT id FROM backup_instances WHERE source = :source "
                        + "AND source_key = :sourceKey AND customer_id = :customerId")
                .bind("source", b.source())
                .bind("sourceKey", b.instanceKey())
                .bind("customerId", customerId)
                .mapTo(Long.class)
                .findFirst();
        if (id.isPresent()) {
            return id.get();
        }
        return h.createUpdate("INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source_key, "
                        + "source_json, name, backup_frequency, status, created_at, updated_at, source) "
                        + "VALUES (:customerId, :definitionId, :provider, :sourceKey, :sourceJson, :name, NULL, "
                        + "'active', :now, :now, :source)")
                .bind("customerId", customerId)
                .bind("definitionId", b.definitionId())
                .bind("provider", b.provider())
                .bind("sourceKey", b.instanceKey())
                .bind("sourceJson", toJson(b.instanceSource()))
                .bind("name", b.instanceName())
                .bind("now", now)
                .bind("source", b.source())
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    private long insertBackup(Handle h, CatalogBackup b, long instanceId, OffsetDateTime now) {
        Update insert = h.createUpdate("INSERT INTO backups (backup_instance_id, provider, provider_backup_id, status, type, "
                        + "started_at, completed_at, size_bytes, warnings_json, status_detail, fingerprint, created_at, "
                        + "updated_at, provider_status, unknown_values, source) VALUES (:instanceId, :provider, "
                        + ":providerBackupId, :status, :type, :startedAt, :completedAt, :sizeBytes, :warnings, "
                        + ":statusDetail, :fingerprint, :now, :now, :providerStatus, :unknownValues, :source)")
                .bind("instanceId", instanceId)
                .bind("provider", b.provider())
                .bind("providerBackupId", b.providerBackupId())
                .bind("source", b.source())
                .bind("now", now);
        return withBackupColumns(insert, b)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    private void updateBackup(Handle h, CatalogBackup b, long backupId, OffsetDateTime now) {
        Update update = h.createUpdate("UPDATE backups SET status = :status, type = :type, started_at = :startedAt, "
                        + "completed_at = :completedAt, size_bytes = :sizeBytes, warnings_json = :warnings, "
                        + "status_detail = :statusDetail, fingerprint = :fingerprint, updated_at = :now, "
                        + "provider_status = :providerStatus, unknown_values = :unknownValues WHERE id = :id")
                .bind("now", now)
                .bind("id", backupId);
        withBackupColumns(update, b).execute();
    }

    /** Binds what an insert and an update of a backup both write. */
    private Update withBackupColumns(Update statement, CatalogBackup b) {
        return statement
                .bind("status", b.status().wireName())
                .bind("type", b.type().wireName())
                .bind("startedAt", b.startedAt())
                .bind("completedAt", b.completedAt())
                .bind("sizeBytes", b.sizeBytes())
                .bind("warnings", toJson(b.warnings()))
                .bind("statusDetail", b.statusDetail())
                .bind("fingerprint", b.fingerprint())
                .bind("providerStatus", truncate(b.providerStatus(), 200))
                .bind("unknownValues", unknownJson(b));
    }

    /**
     * The endpoints of the records the instance does not have yet, one batch. Each name is sent once (the first
     * record's description, as record-by-record inserts kept it): H2 reuses a prepared query's result for the same
     * parameters, so a repeated row would not see the one just inserted.
     */
    private static void insertMissingEndpoints(Handle h, long instanceId, List<CatalogRecord> records) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        records.forEach(r -> descriptions.putIfAbsent(r.endpoint(), r.endpointDescription()));
        PreparedBatch endpoints = h.prepareBatch("INSERT INTO endpoints (backup_instance_id, name, description) "
                + "SELECT :instanceId, :name, :description FROM (VALUES (1)) v WHERE NOT EXISTS "
                + "(SELECT 1 FROM endpoints x WHERE x.backup_instance_id = :instanceId AND x.name = :name)");
        descriptions.forEach((name, description) -> endpoints.bind("instanceId", instanceId)
                .bind("name", name)
                .bind("description", description)
                .add());
        endpoints.execute();
    }

    /** The records the backup does not have yet, one batch; a record (endpoint, provider record id) sent twice counts once. */
    private static void insertMissingRecords(Handle h, long backupId, long instanceId, List<CatalogRecord> records,
                                             OffsetDateTime now) {
        Map<List<String>, CatalogRecord> distinct = new LinkedHashMap<>();
        records.forEach(r -> distinct.putIfAbsent(Arrays.asList(r.endpoint(), r.providerRecordId()), r));
        PreparedBatch inserts = h.prepareBatch("INSERT INTO records (backup_id, backup_instance_id, endpoint_name, "
                + "provider_record_id, name, content_type, size_bytes, created_at) "
                + "SELECT :backupId, :instanceId, :endpoint, :providerRecordId, :name, :contentType, :sizeBytes, :now "
                + "FROM (VALUES (1)) v WHERE NOT EXISTS (SELECT 1 FROM records x WHERE x.backup_id = :backupId "
                + "AND x.endpoint_name = :endpoint AND x.provider_record_id = :providerRecordId)");
        for (CatalogRecord r : distinct.values()) {
            inserts.bind("backupId", backupId)
                    .bind("instanceId", instanceId)
                    .bind("endpoint", r.endpoint())
                    .bind("providerRecordId", r.providerRecordId())
                    .bind("name", r.name())
                    .bind("contentType", r.contentType())
                    .bind("sizeBytes", r.sizeBytes())
                    .bind("now", now)
                    .add();
        }
        inserts.execute();
    }

    /** The provider and provider keys of an instance, if it exists. */
    public Optional<InstanceSource> instanceSource(long instanceId) {
        return transaction(h -> h.createQuery("SELECT provider, source_key, source_json, "
                        + "source FROM backup_instances WHERE id = :id")
                .bind("id", instanceId)
                .map(STORED_SOURCE)
                .findFirst()
                .map(row -> new InstanceSource(instanceId, row.provider(), row.sourceKey(), row.sourceJson(),
                        row.source())));
    }

    /** The stored cursor of a source's sync, if any. */
    public Optional<String> cursor(String source, String scope) {
        return transaction(h -> h.createQuery("SELECT cursor_value FROM sync_cursors WHERE source = :source AND scope = :scope")
                .bind("source", source)
                .bind("scope", scope)
                .mapTo(String.class)
                .findFirst());
    }

    /** Stores a cursor; called only after the data it covers is committed. */
    public void saveCursor(String source, String scope, String value) {
        transaction(h -> {
            int updated = h.createUpdate("UPDATE sync_cursors SET cursor_value = :value, updated_at = :now "
                            + "WHERE source = :source AND scope = :scope")
                    .bind("value", value)
                    .bind("now", now())
                    .bind("source", source)
                    .bind("scope", scope)
                    .execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO sync_cursors (source, scope, cursor_value, updated_at) "
                                + "VALUES (:source, :scope, :value, :now)")
                        .bind("source", source)
                        .bind("scope", scope)
                        .bind("value", value)
                        .bind("now", now())
                        .execute();
            }
            return null;
        });
    }

    /** Forgets a cursor, so the next sync starts from the beginning of that scope. */
    public void deleteCursor(String source, String scope) {
        transaction(h -> h.createUpdate("DELETE FROM sync_cursors WHERE source = :source AND scope = :scope")
                .bind("source", source)
                .bind("scope", scope)
                .execute());
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
        return transaction(h -> {
            int updated = h.createUpdate("UPDATE ingest_rejects SET reason = :reason, payload = :payload, "
                            + "route_id = :routeId, attempts = attempts + 1, last_seen_at = :now "
                            + "WHERE source = :source AND provider_item_id = :providerItemId")
                    .bind("reason", shortReason)
                    .bind("payload", kept)
                    .bind("routeId", routeId)
                    .bind("now", now())
                    .bind("source", source)
                    .bind("providerItemId", providerItemId)
                    .execute();
            if (updated > 0) {
                return h.createQuery("SELECT attempts FROM ingest_rejects "
                                + "WHERE source = :source AND provider_item_id = :providerItemId")
                        .bind("source", source)
                        .bind("providerItemId", providerItemId)
                        .mapTo(Integer.class)
                        .one();
            }
            h.createUpdate("INSERT INTO ingest_rejects (source, provider_item_id, route_id, reason, payload, attempts, "
                            + "first_seen_at, last_seen_at) VALUES (:source, :providerItemId, :routeId, :reason, "
                            + ":payload, 1, :now, :now)")
                    .bind("source", source)
                    .bind("providerItemId", providerItemId)
                    .bind("routeId", routeId)
                    .bind("reason", shortReason)
                    .bind("payload", kept)
                    .bind("now", now())
                    .execute();
            return 1;
        });
    }

    /** Records how a sync ended, for health, JMX, metrics and the logs API. */
    public void recordSyncRun(SyncRun run) {
        transaction(h -> h.createUpdate("INSERT INTO sync_runs (source, scope, node, started_at, finished_at, outcome, "
                        + "seen, created, updated, rejected, error) VALUES (:source, :scope, :node, :startedAt, "
                        + ":finishedAt, :outcome, :seen, :created, :updated, :rejected, :error)")
                .bind("source", run.source())
                .bind("scope", run.scope())
                .bind("node", node)
                .bind("startedAt", run.startedAt().atOffset(ZoneOffset.UTC))
                .bind("finishedAt", now())
                .bind("outcome", run.succeeded() ? "succeeded" : "failed")
                .bind("seen", run.seenCount())
                .bind("created", run.newCount())
                .bind("updated", run.updatedCount())
                .bind("rejected", run.rejectedCount())
                .bind("error", truncate(run.error(), 2000))
                .execute());
    }

    /** Counts rows of a catalog table, for operators and tests. */
    public long count(String table) {
        if (!List.of("customers", "backup_definitions", "backup_instances", "backups", "endpoints", "records",
                "exports", "ingest_rejects", "sync_cursors", "sync_runs").contains(table)) {
            throw new IllegalArgumentException("not a catalog table: " + table);
        }
        return transaction(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
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

    /** Runs the catalog's own statements in one transaction; a database failure becomes a {@link CatalogException}. */
    private <T> T transaction(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.inTransaction(work);
        } catch (JdbiException e) {
            throw failure(e);
        }
    }

    /** The failure with the driver's exception as its cause (its SQLSTATE tells a unique violation), as before Jdbi. */
    private static CatalogException failure(JdbiException e) {
        Throwable cause = e.getCause() instanceof SQLException sql ? sql : e;
        return new CatalogException("catalog: " + cause.getMessage(), cause);
    }

    /** Whether the failure is a unique violation, also when it ended a batch (the driver's next exception says it). */
    private static boolean isUniqueViolation(CatalogException e) {
        if (!(e.getCause() instanceof SQLException sql)) {
            return false;
        }
        if (UNIQUE_VIOLATION.equals(sql.getSQLState())) {
            return true;
        }
        return sql instanceof BatchUpdateException && sql.getNextException() != null
                && UNIQUE_VIOLATION.equals(sql.getNextException().getSQLState());
    }

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs work in one transaction on a connection of the catalog's Jdbi: committed when it returns, rolled back
     * when it throws. Work that wants the catalog's mapping on that connection uses {@link CatalogJdbi#onConnection}.
     */
    public <T> T inTransaction(Work<T> work) {
        try {
            return jdbi.inTransaction(h -> work.run(h.getConnection()));
        } catch (SQLException e) {
            throw new CatalogException("catalog: " + e.getMessage(), e);
        } catch (ConnectionException | TransactionException | CloseException e) {
            throw failure(e);
        }
    }

    /** The row of a backup the upsert finds already stored. */
    private record StoredBackup(long id, String fingerprint, String unknownValues, long backupInstanceId) {
    }

    /** The provider columns of an instance ({@code source_json} holds the provider's keys). */
    private record StoredSource(String provider, String sourceKey, Map<String, String> sourceJson, String source) {
    }
}
