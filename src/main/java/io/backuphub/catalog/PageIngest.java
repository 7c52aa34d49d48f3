package io.backuphub.catalog;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * One page of provider backups written in one transaction with a handful of batched statements, whatever the
 * page's size: customers, definitions and instances are looked up once per page (and remembered once committed:
 * none of them is ever deleted), one query learns which backups are known and how, then inserts, updates,
 * endpoints, records, the instances' last backup times and the cleared rejects each go as one JDBC batch.
 *
 * <p>The tenancy rules are those of a single upsert: an instance belongs to the connection's customer, a backup
 * found under another customer's instance is reclaimed with its records, unknown values are reported once.
 */
final class PageIngest {

    /** Keys of the known-backups query: bounded so the statement stays cached and the IN list stays small. */
    private static final int KNOWN_CHUNK = 1_000;

    private final Catalog catalog;
    /** Committed rows only: filled after a page's transaction commits, so a rollback never leaves a stale id. */
    private final Map<String, Long> customers = new ConcurrentHashMap<>();
    private final Set<String> definitions = ConcurrentHashMap.newKeySet();
    private final Map<InstanceKey, Long> instances = new ConcurrentHashMap<>();
    private final Set<EndpointKey> endpoints = ConcurrentHashMap.newKeySet();

    PageIngest(Catalog catalog) {
        this.catalog = catalog;
    }

    /** What a page's transaction learnt that later pages can reuse once it is committed. */
    final class Learnt {
        private final Map<String, Long> customers = new HashMap<>();
        private final Set<String> definitions = new HashSet<>();
        private final Map<InstanceKey, Long> instances = new HashMap<>();
        private final Set<EndpointKey> endpoints = new HashSet<>();

        void remember() {
            PageIngest.this.customers.putAll(customers);
            PageIngest.this.definitions.addAll(definitions);
            PageIngest.this.instances.putAll(instances);
            PageIngest.this.endpoints.addAll(endpoints);
        }
    }

    /** Forgets what was remembered (after a failed page: another node may have written what this one assumed). */
    void forget() {
        customers.clear();
        definitions.clear();
        instances.clear();
        endpoints.clear();
    }

    Learnt learnt() {
        return new Learnt();
    }

    /** Writes the page on the handle's transaction; outcomes in the page's order (a repeated item: its last copy). */
    List<IngestOutcome> write(Handle h, List<CatalogBackup> page, Learnt learnt, OffsetDateTime now) {
        Map<BackupKey, CatalogBackup> distinct = new LinkedHashMap<>();
        for (CatalogBackup b : page) {
            distinct.remove(new BackupKey(b.source(), b.providerBackupId()));
            distinct.put(new BackupKey(b.source(), b.providerBackupId()), b);
        }
        List<CatalogBackup> backups = new ArrayList<>(distinct.values());

        Map<String, Long> customerIds = ensureCustomers(h, backups, learnt, now);
        ensureDefinitions(h, backups, learnt, now);
        Map<CatalogBackup, Long> instanceOf = new IdentityHashMap<>();
        Map<InstanceKey, Long> instanceIds = ensureInstances(h, backups, customerIds, learnt, now);
        for (CatalogBackup b : backups) {
            instanceOf.put(b, instanceIds.get(new InstanceKey(customerIds.get(b.customer()), b.source(), b.instanceKey())));
        }

        Map<BackupKey, Stored> stored = known(h, backups);

        List<CatalogBackup> inserts = new ArrayList<>();
        List<CatalogBackup> updates = new ArrayList<>();
        Map<BackupKey, IngestOutcome.Change> changes = new HashMap<>();
        for (CatalogBackup b : backups) {
            BackupKey key = new BackupKey(b.source(), b.providerBackupId());
            Stored s = stored.get(key);
            long instanceId = instanceOf.get(b);
            if (s == null) {
                inserts.add(b);
                changes.put(key, IngestOutcome.Change.NEW);
                continue;
            }
            if (s.backupInstanceId() != instanceId) {
                reclaim(h, s.id(), s.backupInstanceId(), instanceId, now);
            }
            if (b.fingerprint().equals(s.fingerprint())) {
                changes.put(key, IngestOutcome.Change.UNCHANGED);
            } else {
                updates.add(b);
                changes.put(key, IngestOutcome.Change.UPDATED);
            }
        }

        Map<BackupKey, Long> backupIds = new HashMap<>();
        stored.forEach((k, s) -> backupIds.put(k, s.id()));
        if (!inserts.isEmpty()) {
            insertBackups(h, inserts, instanceOf, now);
            known(h, inserts).forEach((k, s) -> backupIds.put(k, s.id()));
        }
        if (!updates.isEmpty()) {
            updateBackups(h, updates, backupIds, now);
        }
        writeRecords(h, backups, changes, backupIds, instanceOf, learnt, now);
        moveLastBackupTimes(h, backups, changes, instanceOf, now);
        clearRejects(h, backups);

        List<IngestOutcome> outcomes = new ArrayList<>(backups.size());
        for (CatalogBackup b : backups) {
            BackupKey key = new BackupKey(b.source(), b.providerBackupId());
            IngestOutcome.Change change = changes.get(key);
            Stored s = stored.get(key);
            boolean unknownIsNew = !b.unknownValues().isEmpty() && change != IngestOutcome.Change.UNCHANGED
                    && (change == IngestOutcome.Change.NEW
                    || !Objects.equals(catalog.unknownJson(b), s.unknownValues()));
            outcomes.add(new IngestOutcome(change, b.source(), b.providerBackupId(), backupIds.get(key),
                    instanceOf.get(b), b.status(), unknownIsNew ? b.unknownValues() : List.of()));
        }
        return outcomes;
    }

    private Map<String, Long> ensureCustomers(Handle h, List<CatalogBackup> backups, Learnt learnt, OffsetDateTime now) {
        Map<String, Long> ids = new HashMap<>();
        for (CatalogBackup b : backups) {
            String name = b.customer();
            if (ids.containsKey(name)) {
                continue;
            }
            Long id = customers.get(name);
            if (id == null) {
                id = h.createQuery("SELECT id FROM customers WHERE name = :name").bind("name", name)
                        .mapTo(Long.class).findFirst()
                        .orElseGet(() -> h.createUpdate("INSERT INTO customers (name, created_at) VALUES (:name, :now)")
                                .bind("name", name)
                                .bind("now", now)
                                .executeAndReturnGeneratedKeys("id")
                                .mapTo(Long.class)
                                .one());
                learnt.customers.put(name, id);
            }
            ids.put(name, id);
        }
        return ids;
    }

    private void ensureDefinitions(Handle h, List<CatalogBackup> backups, Learnt learnt, OffsetDateTime now) {
        Map<String, CatalogBackup> missing = new LinkedHashMap<>();
        backups.stream().filter(b -> !definitions.contains(b.definitionId()))
                .forEach(b -> missing.putIfAbsent(b.definitionId(), b));
        if (missing.isEmpty()) {
            return;
        }
        Set<String> present = new HashSet<>(h.createQuery("SELECT id FROM backup_definitions WHERE id IN (<ids>)")
                .bindList("ids", new ArrayList<>(missing.keySet()))
                .mapTo(String.class)
                .list());
        PreparedBatch insert = h.prepareBatch("INSERT INTO backup_definitions (id, provider, name, description, "
                + "created_at) VALUES (:id, :provider, :name, :description, :now)");
        missing.forEach((id, b) -> {
            if (!present.contains(id)) {
                insert.bind("id", id)
                        .bind("provider", b.provider())
                        .bind("name", b.definitionName())
                        .bind("description", b.definitionName() + " backups from " + b.provider())
                        .bind("now", now)
                        .add();
            }
        });
        if (insert.size() > 0) {
            insert.execute();
        }
        learnt.definitions.addAll(missing.keySet());
    }

    private Map<InstanceKey, Long> ensureInstances(Handle h, List<CatalogBackup> backups, Map<String, Long> customerIds,
                                                   Learnt learnt, OffsetDateTime now) {
        Map<InstanceKey, Long> ids = new HashMap<>();
        Map<InstanceKey, CatalogBackup> missing = new LinkedHashMap<>();
        for (CatalogBackup b : backups) {
            InstanceKey key = new InstanceKey(customerIds.get(b.customer()), b.source(), b.instanceKey());
            Long id = instances.get(key);
            if (id != null) {
                ids.put(key, id);
            } else {
                missing.putIfAbsent(key, b);
            }
        }
        // the instance of the account's own customer only: one registered under another customer never
        // captures what this account's poll finds (that customer then gets its own instance)
        for (InstanceKey key : missing.keySet()) {
            CatalogBackup b = missing.get(key);
            long id = h.createQuery("SELECT id FROM backup_instances WHERE source = :source "
                            + "AND source_key = :sourceKey AND customer_id = :customerId")
                    .bind("source", key.source())
                    .bind("sourceKey", key.sourceKey())
                    .bind("customerId", key.customerId())
                    .mapTo(Long.class)
                    .findFirst()
                    .orElseGet(() -> h.createUpdate("INSERT INTO backup_instances (customer_id, backup_definition_id, "
                                    + "provider, source_key, source_json, name, backup_frequency, status, created_at, "
                                    + "updated_at, source) VALUES (:customerId, :definitionId, :provider, :sourceKey, "
                                    + ":sourceJson, :name, NULL, 'active', :now, :now, :source)")
                            .bind("customerId", key.customerId())
                            .bind("definitionId", b.definitionId())
                            .bind("provider", b.provider())
                            .bind("sourceKey", b.instanceKey())
                            .bind("sourceJson", catalog.toJson(b.instanceSource()))
                            .bind("name", b.instanceName())
                            .bind("now", now)
                            .bind("source", b.source())
                            .executeAndReturnGeneratedKeys("id")
                            .mapTo(Long.class)
                            .one());
            ids.put(key, id);
            learnt.instances.put(key, id);
        }
        return ids;
    }

    /** One query per source and chunk of the page: which backups the catalog has, with fingerprint and instance. */
    private static Map<BackupKey, Stored> known(Handle h, List<CatalogBackup> backups) {
        Map<String, List<String>> idsBySource = new LinkedHashMap<>();
        backups.forEach(b -> idsBySource.computeIfAbsent(b.source(), s -> new ArrayList<>()).add(b.providerBackupId()));
        Map<BackupKey, Stored> stored = new HashMap<>();
        idsBySource.forEach((source, ids) -> {
            for (int from = 0; from < ids.size(); from += KNOWN_CHUNK) {
                knownQuery(h, "b.id, b.provider_backup_id, b.fingerprint, b.unknown_values, b.backup_instance_id",
                        source, ids.subList(from, Math.min(ids.size(), from + KNOWN_CHUNK)))
                        .map((rs, ctx) -> new Stored(rs.getLong("id"), rs.getString("provider_backup_id"),
                                rs.getString("fingerprint"), rs.getString("unknown_values"),
                                rs.getLong("backup_instance_id")))
                        .forEach(s -> stored.put(new BackupKey(source, s.providerBackupId()), s));
            }
        });
        return stored;
    }

    /**
     * The rows of a connection's backups among {@code ids}, as a join of the ids (a VALUES list) with the backups: each
     * id is one lookup in the unique index (source, provider_backup_id), on H2 as on PostgreSQL, whatever the
     * catalog's size (H2 does not look up an IN list on an index's second column: it would scan the connection's rows).
     */
    static org.jdbi.v3.core.statement.Query knownQuery(Handle h, String columns, String source, List<String> ids) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM (VALUES ");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(CAST(? AS VARCHAR(200)))");
        }
        sql.append(") v(pid) JOIN backups b ON b.source = ? AND b.provider_backup_id = v.pid");
        org.jdbi.v3.core.statement.Query query = h.createQuery(sql.toString());
        for (int i = 0; i < ids.size(); i++) {
            query.bind(i, ids.get(i));
        }
        return query.bind(ids.size(), source);
    }

    private void insertBackups(Handle h, List<CatalogBackup> inserts, Map<CatalogBackup, Long> instanceOf,
                               OffsetDateTime now) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO backups (backup_instance_id, provider, provider_backup_id, "
                + "status, type, started_at, completed_at, size_bytes, warnings_json, status_detail, fingerprint, "
                + "created_at, updated_at, provider_status, unknown_values, source) VALUES (:instanceId, :provider, "
                + ":providerBackupId, :status, :type, :startedAt, :completedAt, :sizeBytes, :warnings, "
                + ":statusDetail, :fingerprint, :now, :now, :providerStatus, :unknownValues, :source)");
        for (CatalogBackup b : inserts) {
            bindColumns(batch, b)
                    .bind("instanceId", instanceOf.get(b))
                    .bind("provider", b.provider())
                    .bind("providerBackupId", b.providerBackupId())
                    .bind("source", b.source())
                    .bind("now", now)
                    .add();
        }
        batch.execute();
    }

    private void updateBackups(Handle h, List<CatalogBackup> updates, Map<BackupKey, Long> backupIds,
                               OffsetDateTime now) {
        PreparedBatch batch = h.prepareBatch("UPDATE backups SET status = :status, type = :type, "
                + "started_at = :startedAt, completed_at = :completedAt, size_bytes = :sizeBytes, "
                + "warnings_json = :warnings, status_detail = :statusDetail, fingerprint = :fingerprint, "
                + "updated_at = :now, provider_status = :providerStatus, unknown_values = :unknownValues WHERE id = :id");
        for (CatalogBackup b : updates) {
            bindColumns(batch, b)
                    .bind("now", now)
                    .bind("id", backupIds.get(new BackupKey(b.source(), b.providerBackupId())))
                    .add();
        }
        batch.execute();
    }

    private PreparedBatch bindColumns(PreparedBatch batch, CatalogBackup b) {
        return batch.bind("status", b.status().wireName())
                .bind("type", b.type().wireName())
                .bind("startedAt", b.startedAt())
                .bind("completedAt", b.completedAt())
                .bind("sizeBytes", b.sizeBytes())
                .bind("warnings", catalog.toJson(b.warnings()))
                .bind("statusDetail", b.statusDetail())
                .bind("fingerprint", b.fingerprint())
                .bind("providerStatus", Catalog.truncate(b.providerStatus(), 200))
                .bind("unknownValues", catalog.unknownJson(b));
    }

    /**
     * The endpoints the page's instances do not have yet, then the records: a new backup's records are inserted
     * as they are, a known backup's only where missing (a record sent twice counts once).
     */
    private void writeRecords(Handle h, List<CatalogBackup> backups, Map<BackupKey, IngestOutcome.Change> changes,
                              Map<BackupKey, Long> backupIds, Map<CatalogBackup, Long> instanceOf, Learnt learnt,
                              OffsetDateTime now) {
        Map<EndpointKey, String> missingEndpoints = new LinkedHashMap<>();
        PreparedBatch fresh = null;
        PreparedBatch missing = null;
        for (CatalogBackup b : backups) {
            if (b.records() == null || b.records().isEmpty()) {
                continue;
            }
            long instanceId = instanceOf.get(b);
            BackupKey key = new BackupKey(b.source(), b.providerBackupId());
            long backupId = backupIds.get(key);
            boolean isNew = changes.get(key) == IngestOutcome.Change.NEW;
            Map<List<String>, CatalogRecord> distinct = new LinkedHashMap<>();
            b.records().forEach(r -> distinct.putIfAbsent(Arrays.asList(r.endpoint(), r.providerRecordId()), r));
            for (CatalogRecord r : distinct.values()) {
                EndpointKey endpoint = new EndpointKey(instanceId, r.endpoint());
                if (!endpoints.contains(endpoint)) {
                    missingEndpoints.putIfAbsent(endpoint, r.endpointDescription());
                }
                PreparedBatch batch;
                if (isNew) {
                    fresh = fresh != null ? fresh : h.prepareBatch("INSERT INTO records (backup_id, backup_instance_id, "
                            + "endpoint_name, provider_record_id, name, content_type, size_bytes, created_at, content) "
                            + "VALUES (:backupId, :instanceId, :endpoint, :providerRecordId, :name, :contentType, "
                            + ":sizeBytes, :now, :content)");
                    batch = fresh;
                } else {
                    missing = missing != null ? missing : h.prepareBatch("INSERT INTO records (backup_id, "
                            + "backup_instance_id, endpoint_name, provider_record_id, name, content_type, size_bytes, "
                            + "created_at, content) SELECT :backupId, :instanceId, :endpoint, :providerRecordId, :name, "
                            + ":contentType, :sizeBytes, :now, :content FROM (VALUES (1)) v WHERE NOT EXISTS "
                            + "(SELECT 1 FROM records x WHERE x.backup_id = :backupId AND x.endpoint_name = :endpoint "
                            + "AND x.provider_record_id = :providerRecordId)");
                    batch = missing;
                }
                batch.bind("backupId", backupId)
                        .bind("instanceId", instanceId)
                        .bind("endpoint", r.endpoint())
                        .bind("providerRecordId", r.providerRecordId())
                        .bind("name", r.name())
                        .bind("contentType", r.contentType())
                        .bind("sizeBytes", r.sizeBytes())
                        .bind("now", now)
                        .bind("content", r.content())
                        .add();
            }
        }
        if (!missingEndpoints.isEmpty()) {
            // H2 reuses a prepared query's result for the same parameters: each endpoint is sent once
            PreparedBatch insert = h.prepareBatch("INSERT INTO endpoints (backup_instance_id, name, description) "
                    + "SELECT :instanceId, :name, :description FROM (VALUES (1)) v WHERE NOT EXISTS "
                    + "(SELECT 1 FROM endpoints x WHERE x.backup_instance_id = :instanceId AND x.name = :name)");
            missingEndpoints.forEach((endpoint, description) -> insert.bind("instanceId", endpoint.instanceId())
                    .bind("name", endpoint.name())
                    .bind("description", description)
                    .add());
            insert.execute();
            learnt.endpoints.addAll(missingEndpoints.keySet());
        }
        if (fresh != null) {
            fresh.execute();
        }
        if (missing != null) {
            missing.execute();
        }
    }

    /** Each instance's last backup time moves to its newest changed restorable backup of the page, one row each. */
    private static void moveLastBackupTimes(Handle h, List<CatalogBackup> backups,
                                            Map<BackupKey, IngestOutcome.Change> changes,
                                            Map<CatalogBackup, Long> instanceOf, OffsetDateTime now) {
        Map<Long, OffsetDateTime> newest = new LinkedHashMap<>();
        for (CatalogBackup b : backups) {
            if (changes.get(new BackupKey(b.source(), b.providerBackupId())) != IngestOutcome.Change.UNCHANGED
                    && b.completedAt() != null && b.status().isRestorable()) {
                newest.merge(instanceOf.get(b), b.completedAt(), (x, y) -> x.isAfter(y) ? x : y);
            }
        }
        if (newest.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("UPDATE backup_instances SET last_backup_at = :completedAt, "
                + "updated_at = :now WHERE id = :id AND (last_backup_at IS NULL OR last_backup_at < :completedAt)");
        newest.forEach((id, at) -> batch.bind("completedAt", at).bind("now", now).bind("id", id).add());
        batch.execute();
    }

    /** An item ingested now is no longer a reject: one statement per source and chunk. */
    private static void clearRejects(Handle h, List<CatalogBackup> backups) {
        Map<String, List<String>> idsBySource = new LinkedHashMap<>();
        backups.forEach(b -> idsBySource.computeIfAbsent(b.source(), s -> new ArrayList<>()).add(b.providerBackupId()));
        idsBySource.forEach((source, ids) -> {
            for (int from = 0; from < ids.size(); from += KNOWN_CHUNK) {
                h.createUpdate("DELETE FROM ingest_rejects WHERE source = :source AND provider_item_id IN (<ids>)")
                        .bind("source", source)
                        .bindList("ids", ids.subList(from, Math.min(ids.size(), from + KNOWN_CHUNK)))
                        .execute();
            }
        });
    }

    /**
     * Gives a backup held by an instance of another customer back to the instance of the customer whose provider
     * account has it, with its records: the provider's data belongs to that account's customer.
     */
    static void reclaim(Handle h, long backupId, long fromInstanceId, long instanceId, OffsetDateTime now) {
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

    private record BackupKey(String source, String providerBackupId) {
    }

    record InstanceKey(long customerId, String source, String sourceKey) {
    }

    private record EndpointKey(long instanceId, String name) {
    }

    private record Stored(long id, String providerBackupId, String fingerprint, String unknownValues,
                          long backupInstanceId) {
    }
}
