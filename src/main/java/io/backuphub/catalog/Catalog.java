package io.backuphub.catalog;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
    private static final int MAX_CONTENTS_AHEAD = 10_000;
    private static final RowMapper<StoredSource> STORED_SOURCE = ConstructorMapper.of(StoredSource.class);

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;

    private final String node;
    private final PageIngest pages = new PageIngest(this);
    /** Record contents read ahead for copies about to open them (record id to content), each taken once. */
    private final Map<Long, String> contentsAhead = new ConcurrentHashMap<>();

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

    /**
     * The stored fingerprints of those of the connection's items the catalog has (one query per 1,000 ids): what a
     * page's listing compares against to skip what is unchanged.
     */
    public Map<String, String> fingerprints(String source, List<String> providerBackupIds) {
        Map<String, String> stored = new HashMap<>();
        for (int from = 0; from < providerBackupIds.size(); from += 1_000) {
            List<String> chunk = providerBackupIds.subList(from, Math.min(providerBackupIds.size(), from + 1_000));
            transaction(h -> {
                PageIngest.knownQuery(h, "b.provider_backup_id, b.fingerprint", source, chunk)
                        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                        .forEach(e -> stored.put(e.getKey(), e.getValue()));
                return null;
            });
        }
        return stored;
    }

    /**
     * Inserts a new backup (with its instance, customer, definition, endpoints and records) or updates
     * a known one in place: a page of one ({@link #ingestPage}). One transaction: a crash leaves either all of it
     * or none of it.
     */
    public IngestOutcome upsertBackup(CatalogBackup backup) {
        return ingestPage(List.of(backup)).get(0);
    }

    /**
     * Ingests a page of provider backups in ONE transaction with batched statements (see {@link PageIngest}): each
     * backup is inserted, updated in place or left as it is, with its instance, customer, definition, endpoints and
     * records. A crash or a failing statement leaves none of the page. Another node that inserted one of the same
     * backups first (a unique violation) makes the page run again, where those are updates.
     *
     * @return one outcome per distinct backup, in the page's order
     */
    public List<IngestOutcome> ingestPage(List<CatalogBackup> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        try {
            return writePage(page);
        } catch (CatalogException e) {
            pages.forget();
            if (isUniqueViolation(e)) {
                // another node (or a concurrent sync) inserted the same key first: now those are updates
                return writePage(page);
            }
            throw e;
        }
    }

    private List<IngestOutcome> writePage(List<CatalogBackup> page) {
        PageIngest.Learnt learnt = pages.learnt();
        List<IngestOutcome> outcomes = transaction(h -> pages.write(h, page, learnt, now()));
        learnt.remember();
        return outcomes;
    }

    /** The JSON list kept in {@code backups.unknown_values}, or null when the hub knows every value. */
    String unknownJson(CatalogBackup b) {
        return b.unknownValues().isEmpty() ? null : truncate(toJson(b.unknownValues()), 2000);
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /**
     * The content kept with a record at ingest (a manifest a provider sent with its listing), if any: read ahead
     * with its batch ({@link #readContentsAhead}) or, when it was not, by its own query.
     */
    public Optional<String> recordContent(long recordId) {
        String ahead = contentsAhead.remove(recordId);
        if (ahead != null) {
            return Optional.of(ahead);
        }
        return transaction(h -> h.createQuery("SELECT content FROM records WHERE id = :id AND content IS NOT NULL")
                .bind("id", recordId)
                .mapTo(String.class)
                .findFirst());
    }

    /**
     * Reads the contents of a batch of records in one query (per 1,000 ids), for {@link #recordContent} to hand out
     * once each: a batch of claimed copies then costs one query, not one per copy. A record's content never changes
     * once written, so what was read ahead cannot go stale; what is never taken (a copy that failed first) is dropped
     * when the read-ahead holds {@value #MAX_CONTENTS_AHEAD} contents.
     */
    public void readContentsAhead(List<Long> recordIds) {
        if (contentsAhead.size() > MAX_CONTENTS_AHEAD) {
            contentsAhead.clear();
        }
        for (int from = 0; from < recordIds.size(); from += 1_000) {
            List<Long> chunk = recordIds.subList(from, Math.min(recordIds.size(), from + 1_000));
            transaction(h -> {
                h.createQuery("SELECT id, content FROM records WHERE id IN (<ids>) AND content IS NOT NULL")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                        .forEach(e -> contentsAhead.put(e.getKey(), e.getValue()));
                return null;
            });
        }
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

    String toJson(Object value) {
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

    /** The provider columns of an instance ({@code source_json} holds the provider's keys). */
    private record StoredSource(String provider, String sourceKey, Map<String, String> sourceJson, String source) {
    }
}
