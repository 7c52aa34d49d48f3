package io.backuphub.fanout.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogException;
import io.backuphub.ops.deadletter.CopyBacklog;

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
     * written at start from the providers' contracts). An SQL condition over {@code records r} joined with
     * {@code backups b}; exports use it too.
     */
    public static final String COPYABLE = "EXISTS (SELECT 1 FROM copyable_endpoints ce "
            + "WHERE ce.provider = b.provider AND ce.endpoint_name = r.endpoint_name)";

    private final Catalog catalog;
    private final StorageTargets targets;
    private final ObjectMapper json;
    private final Clock clock;
    private final String node;
    private final Duration lease;

    public CopyQueue(Catalog catalog, StorageTargets targets, ObjectMapper json, Clock clock, String node,
                     Duration lease) {
        this.catalog = catalog;
        this.targets = targets;
        this.json = json;
        this.clock = clock;
        this.node = node;
        this.lease = lease;
    }

    /** Queues a copy of every copyable record of one backup to every target; returns how many rows were added. */
    public int enqueueBackup(long backupId) {
        return enqueue(backupId, Integer.MAX_VALUE);
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
            List<Object[]> candidates = catalog.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT r.id, r.backup_id, r.backup_instance_id, r.name, cu.name FROM records r "
                                + "JOIN backups b ON b.id = r.backup_id "
                                + "JOIN backup_instances i ON i.id = r.backup_instance_id "
                                + "JOIN customers cu ON cu.id = i.customer_id "
                                + "WHERE b.status IN ('completed', 'partial') AND " + COPYABLE
                                + (backupId == null ? "" : " AND b.id = ?")
                                + " AND NOT EXISTS (SELECT 1 FROM copies x WHERE x.record_id = r.id AND x.target = ?) "
                                + "ORDER BY r.id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")) {
                    int p = 1;
                    if (backupId != null) {
                        ps.setLong(p++, backupId);
                    }
                    ps.setString(p, target.uri());
                    List<Object[]> rows = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                                    rs.getString(5)});
                        }
                    }
                    return rows;
                }
            });
            for (Object[] row : candidates) {
                String key = StorageLayout.recordKey((String) row[4], (Long) row[2], (Long) row[1], (String) row[3]);
                if (insertCopy((Long) row[0], (Long) row[1], target.uri(), key)) {
                    added++;
                }
            }
        }
        return added;
    }

    private boolean insertCopy(long recordId, long backupId, String target, String storageKey) {
        try {
            return catalog.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO copies (record_id, backup_id, target, storage_key, status, attempts, created_at, "
                                + "updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)")) {
                    ps.setLong(1, recordId);
                    ps.setLong(2, backupId);
                    ps.setString(3, target);
                    ps.setString(4, storageKey);
                    ps.setString(5, PENDING);
                    ps.setObject(6, now());
                    ps.setObject(7, now());
                    return ps.executeUpdate() == 1;
                }
            });
        } catch (CatalogException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return false; // another node queued it first
            }
            throw e;
        }
    }

    /**
     * Claims up to {@code limit} pending or dead copies of the configured targets for this node (pending
     * first), each with a lease; a copy another node holds is left alone until its lease runs out.
     */
    public List<CopyTask> claim(int limit) {
        List<String> uris = targets.uris();
        if (uris.isEmpty()) {
            return List.of();
        }
        OffsetDateTime now = now();
        List<Long> ids = catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM copies WHERE status IN ('pending', 'dead') AND target IN ("
                            + String.join(", ", Collections.nCopies(uris.size(), "?")) + ") "
                            + "AND (claimed_until IS NULL OR claimed_until < ?) "
                            + "ORDER BY CASE WHEN status = 'pending' THEN 0 ELSE 1 END, id "
                            + "FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")) {
                int p = 1;
                for (String uri : uris) {
                    ps.setString(p++, uri);
                }
                ps.setObject(p, now);
                List<Long> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getLong(1));
                    }
                }
                return found;
            }
        });
        List<CopyTask> claimed = new ArrayList<>();
        for (long id : ids) {
            boolean mine = catalog.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE copies SET claimed_by = ?, claimed_until = ?, updated_at = ? WHERE id = ? "
                                + "AND status IN ('pending', 'dead') AND (claimed_until IS NULL OR claimed_until < ?)")) {
                    ps.setString(1, node);
                    ps.setObject(2, now.plus(lease));
                    ps.setObject(3, now);
                    ps.setLong(4, id);
                    ps.setObject(5, now);
                    return ps.executeUpdate() == 1;
                }
            });
            if (mine) {
                claimed.add(task(id));
            }
        }
        return claimed;
    }

    /** Gives back this node's claims, so work a crash interrupted resumes at once on restart. */
    public int releaseClaims() {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE copies SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND status <> ?")) {
                ps.setString(1, node);
                ps.setString(2, STORED);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Gives back this node's claim on one copy that is not stored (an attempt cut off by a stop), so the
     * next run, here or on another node, takes it at once; returns whether a claim was released.
     */
    public boolean release(long copyId) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE copies SET claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE id = ? "
                            + "AND claimed_by = ? AND status <> ?")) {
                ps.setObject(1, now());
                ps.setLong(2, copyId);
                ps.setString(3, node);
                ps.setString(4, STORED);
                return ps.executeUpdate() == 1;
            }
        });
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
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(source == null
                    ? "SELECT COUNT(*) FROM copies WHERE status = ?"
                    : "SELECT COUNT(*) FROM copies x JOIN backups b ON b.id = x.backup_id "
                            + "WHERE x.status = ? AND b.source = ?")) {
                ps.setString(1, status);
                if (source != null) {
                    ps.setString(2, source);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** A copy with everything needed to perform it. */
    public CopyTask task(long copyId) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT x.id, r.id, b.id, i.id, cu.name, b.provider, b.provider_backup_id, r.endpoint_name, "
                            + "r.provider_record_id, r.name, r.content_type, x.target, x.storage_key, r.sha256, "
                            + "i.source_json, b.source FROM copies x JOIN records r ON r.id = x.record_id "
                            + "JOIN backups b ON b.id = x.backup_id JOIN backup_instances i ON i.id = b.backup_instance_id "
                            + "JOIN customers cu ON cu.id = i.customer_id WHERE x.id = ?")) {
                ps.setLong(1, copyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no copy " + copyId);
                    }
                    return new CopyTask(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                            json.readValue(rs.getString(15), new TypeReference<Map<String, String>>() { }),
                            rs.getString(16));
                } catch (JsonProcessingException e) {
                    throw new SQLException("instance of copy " + copyId + " has unreadable source_json", e);
                }
            }
        });
    }

    /**
     * Marks a copy stored with its verified hash and size, gives the record its hash and size if it had
     * none, and tells whether every copy of the backup is now stored.
     */
    public boolean markStored(CopyTask task, StoredCopy stored, int attempts) {
        return markStored(task, stored, attempts, c -> Boolean.TRUE) != null;
    }

    /**
     * Marks a copy stored (as {@link #markStored(CopyTask, StoredCopy, int)}) and, when it was the backup's
     * last one, runs {@code whenBackupDone} in the same transaction (the event {@code backup.stored} commits
     * with the copy, or neither does); returns what that gave, or null when copies of the backup remain.
     */
    public <T> T markStored(CopyTask task, StoredCopy stored, int attempts, Catalog.Work<T> whenBackupDone) {
        OffsetDateTime now = now();
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE copies SET status = ?, sha256 = ?, size_bytes = ?, attempts = attempts + ?, last_error = NULL, "
                            + "claimed_by = NULL, claimed_until = NULL, stored_at = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, STORED);
                ps.setString(2, stored.sha256());
                ps.setLong(3, stored.sizeBytes());
                ps.setInt(4, attempts);
                ps.setObject(5, now);
                ps.setObject(6, now);
                ps.setLong(7, task.copyId());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE records SET sha256 = ?, size_bytes = ? WHERE id = ? AND sha256 IS NULL")) {
                ps.setString(1, stored.sha256());
                ps.setLong(2, stored.sizeBytes());
                ps.setLong(3, task.recordId());
                ps.executeUpdate();
            }
            return countNotStored(c, task.backupId()) == 0 ? whenBackupDone.run(c) : null;
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
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE copies SET status = ?, attempts = attempts + ?, last_error = ?, claimed_by = NULL, "
                            + "claimed_until = NULL, updated_at = ? WHERE id = ? AND status <> ?")) {
                ps.setString(1, DEAD);
                ps.setInt(2, attempts);
                ps.setString(3, reason.length() > MAX_ERROR ? reason.substring(0, MAX_ERROR) : reason);
                ps.setObject(4, now());
                ps.setLong(5, task.copyId());
                ps.setString(6, STORED);
                ps.executeUpdate();
            }
            return then.run(c);
        });
    }

    /** Where a backup is: every copy of its records, with status and hash (the lineage of {@code copies[]}). */
    public List<Map<String, Object>> copiesOfBackup(long backupId) {
        return catalog.inTransaction(c -> copiesOfBackup(c, backupId));
    }

    /** {@link #copiesOfBackup(long)} in the caller's transaction. */
    public List<Map<String, Object>> copiesOfBackup(Connection c, long backupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT x.record_id, r.name, x.target, x.storage_key, x.status, x.sha256, x.size_bytes, x.stored_at "
                        + "FROM copies x JOIN records r ON r.id = x.record_id WHERE x.backup_id = ? "
                        + "ORDER BY x.record_id, x.target")) {
            ps.setLong(1, backupId);
            List<Map<String, Object>> copies = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    copy.put("record_id", rs.getLong(1));
                    copy.put("record_name", rs.getString(2));
                    copy.put("target", rs.getString(3));
                    copy.put("storage_key", rs.getString(4));
                    copy.put("status", rs.getString(5));
                    copy.put("sha256", rs.getString(6));
                    copy.put("size_bytes", rs.getObject(7) == null ? null : rs.getLong(7));
                    OffsetDateTime storedAt = rs.getObject(8, OffsetDateTime.class);
                    copy.put("stored_at", storedAt == null ? null : storedAt.withOffsetSameInstant(ZoneOffset.UTC).toString());
                    copies.add(copy);
                }
            }
            return copies;
        }
    }

    /** Copies that failed after every redelivery, oldest first. */
    public List<DeadLetter> deadLetters() {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT x.id, x.record_id, x.backup_id, r.name, x.target, x.storage_key, x.attempts, x.last_error, "
                            + "x.updated_at FROM copies x JOIN records r ON r.id = x.record_id WHERE x.status = ? "
                            + "ORDER BY x.id")) {
                ps.setString(1, DEAD);
                List<DeadLetter> letters = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        letters.add(new DeadLetter(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8),
                                rs.getObject(9, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)));
                    }
                }
                return letters;
            }
        });
    }

    /** Puts dead copies (all, or the one given) back in the queue; returns how many. */
    public int requeueDead(Long copyId) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE copies SET status = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE status = ?"
                            + (copyId == null ? "" : " AND id = ?"))) {
                ps.setString(1, PENDING);
                ps.setObject(2, now());
                ps.setString(3, DEAD);
                if (copyId != null) {
                    ps.setLong(4, copyId);
                }
                return ps.executeUpdate();
            }
        });
    }

    private static long countNotStored(Connection c, long backupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM copies WHERE backup_id = ? AND status <> ?")) {
            ps.setLong(1, backupId);
            ps.setString(2, STORED);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
