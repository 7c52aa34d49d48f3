package io.backuphub.fanout.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.backuphub.catalog.BackupChange;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogException;
import io.backuphub.catalog.CatalogJdbi;
import io.backuphub.catalog.Lease;
import io.backuphub.ops.deadletter.CopyBacklog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.Update;

/**
 * The fan-out's durable work queue, the {@code copies} table: one row per (record, target), filled when a
 * backup is completed or partial, claimed by a node with a lease, and ended as stored (with hash and size)
 * or dead (with the reason). Every method is one transaction. It is the hub's {@link CopyBacklog}: what
 * operators see as copies pending in JMX.
 */
public class CopyQueue implements CopyBacklog {

    public static final String PENDING = "pending";
    public static final String STORED = "stored";
    public static final String DEAD = "dead";

    /** SQLSTATE for a unique-constraint violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_ERROR = 2000;

    /**
     * Which records the hub can open: the endpoints each provider says it can open ({@code copyable_endpoints},
     * written at start from the providers' contracts; {@code *} for every endpoint). An SQL condition over
     * {@code records r} joined with {@code backups b}; exports use it too.
     */
    public static final String COPYABLE = "EXISTS (SELECT 1 FROM copyable_endpoints ce "
            + "WHERE ce.provider = b.provider AND ce.endpoint_name IN (r.endpoint_name, '*'))";

    private static final String TASK_SELECT = "SELECT x.id AS copy_id, r.id AS record_id, b.id AS backup_id, "
            + "i.id AS instance_id, cu.name AS customer, b.provider, b.provider_backup_id, r.endpoint_name AS endpoint, "
            + "r.provider_record_id, r.name AS record_name, r.content_type, x.target, x.storage_key, "
            + "r.sha256 AS record_sha256, i.source_json AS instance_source, b.source, x.claims FROM copies x "
            + "JOIN records r ON r.id = x.record_id JOIN backups b ON b.id = x.backup_id "
            + "JOIN backup_instances i ON i.id = b.backup_instance_id JOIN customers cu ON cu.id = i.customer_id ";
    private static final RowMapper<CopyTask> TASK = ConstructorMapper.of(CopyTask.class);
    private static final RowMapper<Candidate> CANDIDATE = ConstructorMapper.of(Candidate.class);
    private static final RowMapper<Lineage> LINEAGE = ConstructorMapper.of(Lineage.class);
    private static final RowMapper<BackupLineage> LINEAGE_OF_BACKUP = ConstructorMapper.of(BackupLineage.class);
    private static final RowMapper<DeadLetter> DEAD_LETTER = ConstructorMapper.of(DeadLetter.class);

    private final Catalog catalog;
    private final StorageTargets targets;
    private final Clock clock;
    private final Jdbi jdbi;
    private final Lease leases;
    /** The same claims, of queued copies alone (not dead letters). */
    private final Lease pendingLeases;

    public CopyQueue(Catalog catalog, StorageTargets targets, Clock clock, String node,
                     Duration lease) {
        this.catalog = catalog;
        this.targets = targets;
        this.clock = clock;
        this.jdbi = CatalogJdbi.of(catalog);
        this.leases = new Lease("copies", "status IN ('pending', 'dead') AND target IN (<targets>)",
                "CASE WHEN status = 'pending' THEN 0 ELSE 1 END, id", node, lease);
        this.pendingLeases = new Lease("copies", "status = 'pending' AND target IN (<targets>)", "id", node, lease);
    }

    /** Queues a copy of every copyable record of one backup to every target; returns how many rows were added. */
    public int enqueueBackup(long backupId) {
        return enqueue(backupId, Integer.MAX_VALUE);
    }

    /**
     * Queues a copy of every copyable record of a page of changed backups to every target, in one batch per
     * target (the rows' status is checked again here: only completed or partial backups are copied); returns how
     * many rows were added.
     */
    public int enqueueBackups(List<BackupChange> changes) {
        List<Long> ids = changes.stream().map(BackupChange::backupId).distinct().sorted().toList();
        if (ids.isEmpty()) {
            return 0;
        }
        int added = 0;
        for (StorageTarget target : targets.all()) {
            for (int from = 0; from < ids.size(); from += 1_000) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 1_000));
                long lowest = chunk.get(0);
                long highest = chunk.get(chunk.size() - 1);
                // the range lets PostgreSQL read a page's new backups (adjacent ids) by the primary key: with the list
                // alone it scans the table (90 ms → 14 ms a page of 1,000 at 100,000 backups). When the ids are the
                // whole range (a page of new backups) the range alone says it: H2 tests an IN list of parameters
                // value by value on every row (26 → 20 ms a page of 1,000)
                boolean wholeRange = highest - lowest + 1 == chunk.size();
                List<Candidate> candidates = missingCopies(target, " AND b.id BETWEEN :lowest AND :highest"
                                + (wholeRange ? "" : " AND b.id IN (<ids>)"), "",
                        query -> {
                            query.bind("lowest", lowest).bind("highest", highest);
                            if (!wholeRange) {
                                query.bindList("ids", chunk);
                            }
                        });
                added += insertCopies(candidates, target.uri());
            }
        }
        return added;
    }

    /** The copies of the candidates, one batch; when another node queued some first, one at a time. */
    private int insertCopies(List<Candidate> candidates, String target) {
        if (candidates.isEmpty()) {
            return 0;
        }
        OffsetDateTime now = now();
        try {
            return jdbi.inTransaction(h -> {
                PreparedBatch batch = h.prepareBatch("INSERT INTO copies (record_id, backup_id, target, storage_key, "
                        + "status, attempts, created_at, updated_at) VALUES (:recordId, :backupId, :target, "
                        + ":storageKey, :status, 0, :now, :now)");
                for (Candidate row : candidates) {
                    batch.bind("recordId", row.recordId())
                            .bind("backupId", row.backupId())
                            .bind("target", target)
                            .bind("storageKey", StorageLayout.recordKey(row.customer(), row.instanceId(),
                                    row.backupId(), row.recordName()))
                            .bind("status", PENDING)
                            .bind("now", now)
                            .add();
                }
                batch.execute();
                return candidates.size();
            });
        } catch (StatementException e) {
            if (!CatalogJdbi.isUniqueViolation(e)) {
                throw e;
            }
            int added = 0;
            for (Candidate row : candidates) {
                String key = StorageLayout.recordKey(row.customer(), row.instanceId(), row.backupId(), row.recordName());
                added += insertCopy(row.recordId(), row.backupId(), target, key) ? 1 : 0;
            }
            return added;
        }
    }

    /**
     * Queues whatever is missing for every completed or partial backup (up to {@code limit} per target):
     * catches a backup whose change event was lost in a crash, and fills a target added later.
     */
    public int enqueueMissing(int limit) {
        return enqueue(null, limit);
    }

    private int enqueue(Long backupId, int limit) {
        int added = 0;
        for (StorageTarget target : targets.all()) {
            List<Candidate> candidates = missingCopies(target, backupId == null ? "" : " AND b.id = :backupId",
                    " FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
                    query -> query.bindMap(backupId == null ? Map.of() : Map.of("backupId", backupId)));
            for (Candidate row : candidates) {
                String key = StorageLayout.recordKey(row.customer(), row.instanceId(), row.backupId(), row.recordName());
                if (insertCopy(row.recordId(), row.backupId(), target.uri(), key)) {
                    added++;
                }
            }
        }
        return added;
    }

    /**
     * The copyable records of completed or partial backups that have no copy on the target yet, in record order:
     * {@code backups} narrows the backups (an SQL condition on {@code b}), {@code bind} binds its parameters.
     */
    private List<Candidate> missingCopies(StorageTarget target, String backups, String fetch, Consumer<Query> bind) {
        return jdbi.withHandle(h -> {
            Query query = h.createQuery("SELECT r.id AS record_id, r.backup_id, r.backup_instance_id AS instance_id, "
                    + "r.name AS record_name, cu.name AS customer FROM records r "
                    + "JOIN backups b ON b.id = r.backup_id "
                    + "JOIN backup_instances i ON i.id = r.backup_instance_id "
                    + "JOIN customers cu ON cu.id = i.customer_id "
                    + "WHERE b.status IN ('completed', 'partial') AND " + COPYABLE + backups
                    + " AND NOT EXISTS (SELECT 1 FROM copies x WHERE x.record_id = r.id AND x.target = :target) "
                    + "ORDER BY r.id" + fetch)
                    .bind("target", target.uri());
            bind.accept(query);
            return query.map(CANDIDATE).list();
        });
    }

    private boolean insertCopy(long recordId, long backupId, String target, String storageKey) {
        OffsetDateTime now = now();
        try {
            return jdbi.withHandle(h -> h.createUpdate(
                            "INSERT INTO copies (record_id, backup_id, target, storage_key, status, attempts, created_at, "
                                    + "updated_at) VALUES (:recordId, :backupId, :target, :storageKey, :status, 0, :now, :now)")
                    .bind("recordId", recordId)
                    .bind("backupId", backupId)
                    .bind("target", target)
                    .bind("storageKey", storageKey)
                    .bind("status", PENDING)
                    .bind("now", now)
                    .execute() == 1);
        } catch (StatementException e) {
            if (CatalogJdbi.isUniqueViolation(e)) {
                return false; // another node queued it first
            }
            throw e;
        }
    }

    /**
     * Claims up to {@code limit} pending or dead copies of the configured targets for this node (pending
     * first), each with a lease; a copy another node holds is left alone until its lease runs out. One
     * claiming statement and one read of what it claimed, in one transaction.
     */
    public List<CopyTask> claim(int limit) {
        return claim(limit, true);
    }

    /** As {@link #claim(int)}; dead letters too only when {@code withDead}, else queued copies alone. */
    public List<CopyTask> claim(int limit, boolean withDead) {
        List<String> uris = targets.uris();
        if (uris.isEmpty()) {
            return List.of();
        }
        OffsetDateTime now = now();
        Lease lease = withDead ? leases : pendingLeases;
        List<CopyTask> claimed = jdbi.inTransaction(h -> {
            List<Long> ids = lease.claim(h, limit, now, "updated_at = :now, claims = claims + 1",
                    update -> update.bindList("targets", uris));
            return ids.isEmpty() ? List.of() : h.createQuery(TASK_SELECT + "WHERE x.id IN (<ids>) "
                            + "ORDER BY CASE WHEN x.status = 'pending' THEN 0 ELSE 1 END, x.id")
                    .bindList("ids", ids)
                    .map(TASK)
                    .list();
        });
        // the contents the catalog keeps of the batch's records (manifests sent with a listing), in one query
        // rather than one per copy when each source opens its record
        if (!claimed.isEmpty()) {
            catalog.readContentsAhead(claimed.stream().map(CopyTask::recordId).distinct().toList());
        }
        return claimed;
    }

    /** Gives back this node's claims, so work a crash interrupted resumes at once on restart. */
    public int releaseClaims() {
        return jdbi.withHandle(h -> leases.release(h, "status <> :stored", Map.of("stored", STORED), null, ""));
    }

    /**
     * Gives back this node's claim on one copy that is not stored (an attempt cut off by a stop), so the
     * next run, here or on another node, takes it at once; returns whether a claim was released.
     */
    public boolean release(long copyId) {
        return jdbi.withHandle(h -> leases.release(h, "status <> :stored",
                Map.of("stored", STORED, "now", now()), copyId, "updated_at = :now")) == 1;
    }

    /** Copies queued and not stored yet (new, or failing and being retried) of one source's backups (null: all). */
    @Override
    public long pending(String source) {
        return countByStatus(PENDING, source);
    }

    /** Copies that failed after every redelivery, of one source's backups (null: all). */
    public long deadCount(String source) {
        return countByStatus(DEAD, source);
    }

    private long countByStatus(String status, String source) {
        return jdbi.withHandle(h -> source == null
                ? h.createQuery("SELECT COUNT(*) FROM copies WHERE status = :status")
                        .bind("status", status).mapTo(Long.class).one()
                : h.createQuery("SELECT COUNT(*) FROM copies x JOIN backups b ON b.id = x.backup_id "
                                + "WHERE x.status = :status AND b.source = :source")
                        .bind("status", status).bind("source", source).mapTo(Long.class).one());
    }

    /** A copy with everything needed to perform it. */
    public CopyTask task(long copyId) {
        return jdbi.withHandle(h -> h.createQuery(TASK_SELECT + "WHERE x.id = :id").bind("id", copyId)
                .map(TASK)
                .findOne()
                .orElseThrow(() -> new IllegalArgumentException("no copy " + copyId)));
    }

    /** A copy whose bytes a target holds, verified and durable, waiting to be marked stored with others. */
    public record Stored(CopyTask task, StoredCopy copy, int attempts) {
    }

    /** What runs in the transaction that stored the last copies of some backups. */
    @FunctionalInterface
    public interface BackupsDone<T> {
        T run(Connection connection, List<Long> backupIds) throws SQLException;
    }

    /**
     * Marks a batch of copies stored in one transaction: one JDBC batch for the copies, one for the records with no
     * hash yet, one query for the backups whose every copy is now stored, and {@code whenBackupsDone} with those
     * backups (the events {@code backup.stored} commit with their copies, or none does). Returns what that gave, or
     * null when no backup was completed. When another node raised one of the events at the same moment, the batch is
     * marked again once (the events raised meanwhile are then found and skipped).
     */
    public <T> T markStored(List<Stored> batch, BackupsDone<T> whenBackupsDone) {
        if (batch.isEmpty()) {
            return null;
        }
        try {
            return markStoredOnce(batch, whenBackupsDone);
        } catch (StatementException e) {
            if (!CatalogJdbi.isUniqueViolation(e)) {
                throw e;
            }
            return markStoredOnce(batch, whenBackupsDone);
        }
    }

    private <T> T markStoredOnce(List<Stored> batch, BackupsDone<T> whenBackupsDone) {
        OffsetDateTime now = now();
        return jdbi.inTransaction(h -> {
            PreparedBatch copies = h.prepareBatch("UPDATE copies SET status = :stored, sha256 = :sha256, "
                    + "size_bytes = :size, attempts = attempts + :attempts, last_error = NULL, claimed_by = NULL, "
                    + "claimed_until = NULL, stored_at = :now, updated_at = :now WHERE id = :id");
            PreparedBatch records = h.prepareBatch(
                    "UPDATE records SET sha256 = :sha256, size_bytes = :size WHERE id = :id AND sha256 IS NULL");
            Set<Long> backups = new LinkedHashSet<>();
            for (Stored s : batch) {
                copies.bind("stored", STORED)
                        .bind("sha256", s.copy().sha256())
                        .bind("size", s.copy().sizeBytes())
                        .bind("attempts", s.attempts())
                        .bind("now", now)
                        .bind("id", s.task().copyId())
                        .add();
                if (s.task().recordSha256() == null) { // a record with its hash already keeps it
                    records.bind("sha256", s.copy().sha256())
                            .bind("size", s.copy().sizeBytes())
                            .bind("id", s.task().recordId())
                            .add();
                }
                backups.add(s.task().backupId());
            }
            copies.execute();
            if (records.size() > 0) {
                records.execute();
            }
            List<Long> done = h.createQuery("SELECT backup_id FROM copies WHERE backup_id IN (<ids>) GROUP BY backup_id "
                            + "HAVING SUM(CASE WHEN status <> :stored THEN 1 ELSE 0 END) = 0 ORDER BY backup_id")
                    .bindList("ids", List.copyOf(backups))
                    .bind("stored", STORED)
                    .mapTo(Long.class)
                    .list();
            if (done.isEmpty()) {
                return null;
            }
            try {
                return whenBackupsDone.run(h.getConnection(), done);
            } catch (SQLException e) {
                throw new CatalogException("catalog: " + e.getMessage(), e);
            }
        });
    }

    /** Ends a copy's round as a dead letter with its reason; the next schedule (or a replay) tries again. */
    public void markDead(CopyTask task, String reason, int attempts) {
        markDead(task, reason, attempts, c -> null);
    }

    /**
     * Ends a copy's round as a dead letter and runs {@code then} in the same transaction (the event
     * {@code copy.failed} commits with it); returns what {@code then} gave.
     */
    public <T> T markDead(CopyTask task, String reason, int attempts, Catalog.Work<T> then) {
        OffsetDateTime now = now();
        return jdbi.inTransaction(h -> {
            h.createUpdate("UPDATE copies SET status = :dead, attempts = attempts + :attempts, last_error = :reason, "
                            + "claimed_by = NULL, claimed_until = NULL, updated_at = :now WHERE id = :id AND status <> :stored")
                    .bind("dead", DEAD)
                    .bind("attempts", attempts)
                    .bind("reason", reason.length() > MAX_ERROR ? reason.substring(0, MAX_ERROR) : reason)
                    .bind("now", now)
                    .bind("id", task.copyId())
                    .bind("stored", STORED)
                    .execute();
            return run(then, h);
        });
    }

    /** Where a backup is: every copy of its records, with status and hash (the lineage of {@code copies[]}). */
    public List<Map<String, Object>> copiesOfBackup(long backupId) {
        return jdbi.withHandle(h -> copiesOfBackup(h, backupId));
    }

    /** {@link #copiesOfBackup(long)} in the caller's transaction. */
    public List<Map<String, Object>> copiesOfBackup(Connection c, long backupId) {
        return CatalogJdbi.onConnection(c, h -> copiesOfBackup(h, backupId));
    }

    private static List<Map<String, Object>> copiesOfBackup(Handle h, long backupId) {
        return h.createQuery("SELECT x.record_id, r.name AS record_name, x.target, x.storage_key, x.status, x.sha256, "
                        + "x.size_bytes, x.stored_at FROM copies x JOIN records r ON r.id = x.record_id "
                        + "WHERE x.backup_id = :backupId ORDER BY x.record_id, x.target")
                .bind("backupId", backupId)
                .map(LINEAGE)
                .map(Lineage::asMap)
                .list();
    }

    /** {@link #copiesOfBackup(long)} of several backups in one query, in the caller's transaction, by backup id. */
    public Map<Long, List<Map<String, Object>>> copiesOfBackups(Connection c, List<Long> backupIds) {
        return CatalogJdbi.onConnection(c, h -> {
            Map<Long, List<Map<String, Object>>> lineage = new LinkedHashMap<>();
            for (long id : backupIds) {
                lineage.put(id, new ArrayList<>());
            }
            h.createQuery("SELECT x.backup_id, x.record_id, r.name AS record_name, x.target, x.storage_key, x.status, "
                            + "x.sha256, x.size_bytes, x.stored_at FROM copies x JOIN records r ON r.id = x.record_id "
                            + "WHERE x.backup_id IN (<ids>) ORDER BY x.backup_id, x.record_id, x.target")
                    .bindList("ids", backupIds)
                    .map(LINEAGE_OF_BACKUP)
                    .forEach(row -> lineage.computeIfAbsent(row.backupId(), k -> new ArrayList<>())
                            .add(row.lineage().asMap()));
            return lineage;
        });
    }

    /** Copies that failed after every redelivery, oldest first. */
    public List<DeadLetter> deadLetters() {
        return jdbi.withHandle(h -> h.createQuery("SELECT x.id AS copy_id, x.record_id, x.backup_id, "
                        + "r.name AS record_name, x.target, x.storage_key, x.attempts, x.last_error AS reason, "
                        + "x.updated_at AS failed_at FROM copies x JOIN records r ON r.id = x.record_id "
                        + "WHERE x.status = :dead ORDER BY x.id")
                .bind("dead", DEAD)
                .map(DEAD_LETTER)
                .list());
    }

    /** Puts dead copies (all, or the one given) back in the queue; returns how many. */
    public int requeueDead(Long copyId) {
        return jdbi.withHandle(h -> {
            Update update = h.createUpdate("UPDATE copies SET status = :pending, claimed_by = NULL, claimed_until = NULL, "
                            + "updated_at = :now WHERE status = :dead" + (copyId == null ? "" : " AND id = :id"))
                    .bind("pending", PENDING)
                    .bind("now", now())
                    .bind("dead", DEAD);
            if (copyId != null) {
                update.bind("id", copyId.longValue());
            }
            return update.execute();
        });
    }

    /** Runs a caller's work on the handle's connection, in its transaction. */
    private static <T> T run(Catalog.Work<T> work, Handle h) {
        try {
            return work.run(h.getConnection());
        } catch (SQLException e) {
            throw new CatalogException("catalog: " + e.getMessage(), e);
        }
    }

    /** A record of a completed backup with no copy to a target yet. */
    private record Candidate(long recordId, long backupId, long instanceId, String recordName, String customer) {
    }

    /** One copy of a backup's record, as its lineage lists it. */
    private record Lineage(long recordId, String recordName, String target, String storageKey, String status,
                           String sha256, Long sizeBytes, OffsetDateTime storedAt) {
        Map<String, Object> asMap() {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("record_id", recordId);
            copy.put("record_name", recordName);
            copy.put("target", target);
            copy.put("storage_key", storageKey);
            copy.put("status", status);
            copy.put("sha256", sha256);
            copy.put("size_bytes", sizeBytes);
            copy.put("stored_at", storedAt == null ? null : storedAt.toString());
            return copy;
        }
    }

    /** One copy's lineage with its backup, as {@link #copiesOfBackups} reads it. */
    private record BackupLineage(long backupId, long recordId, String recordName, String target, String storageKey,
                                 String status, String sha256, Long sizeBytes, OffsetDateTime storedAt) {
        Lineage lineage() {
            return new Lineage(recordId, recordName, target, storageKey, status, sha256, sizeBytes, storedAt);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
