package io.backuphub.catalog;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;

/**
 * Claims of one work table's rows by a node, with a lease: the columns {@code claimed_by} (the node) and
 * {@code claimed_until} (when the claim lapses). A claim takes a batch in one short transaction of three statements:
 * a SELECT of candidate rows, a SELECT of those still claimable {@code FOR UPDATE SKIP LOCKED} (PostgreSQL and H2
 * 2.x alike), then one UPDATE of those rows by id. So two nodes claiming at once never get the same row (the second
 * skips the rows the first has locked), and a row whose node died is claimable again once its lease has run out.
 * Copies, export builds and notification deliveries claim through it.
 *
 * @param table     the work table (a constant, never user input)
 * @param claimable which rows may be taken, besides an expired or absent lease: an SQL condition over the table,
 *                  with named parameters bound by the caller (and {@code :now})
 * @param order     which rows first
 * @param node      this node's name, the claim's holder
 * @param length    how long a claim lasts
 */
public record Lease(String table, String claimable, String order, String node, Duration length) {

    private static final String FREE = "(claimed_until IS NULL OR claimed_until < :now)";

    /**
     * Claims up to {@code limit} claimable rows for this node until {@code now} + the lease, also setting
     * {@code alsoSet} (assignments such as {@code status = 'running'}, or empty); answers the ids, ascending.
     */
    public List<Long> claim(Handle handle, int limit, OffsetDateTime now, String alsoSet,
                            Consumer<SqlStatement<?>> bind) {
        // the rows are picked and locked first, then updated by id: PostgreSQL may run a LIMIT sub-select of an
        // UPDATE's IN (...) more than once, and so claim more rows than asked for. The candidates are read without a
        // lock first (twice the batch, in index order: the read stops there), then locked by id: H2 locks every row
        // a FOR UPDATE query reads before it applies FETCH FIRST, a scan of the whole queue per batch
        Query candidates = handle.createQuery("SELECT id FROM " + table + " WHERE (" + claimable + ") AND " + FREE
                        + " ORDER BY " + order + " FETCH FIRST " + 2 * Math.max(1, limit) + " ROWS ONLY")
                .bind("now", now);
        bind.accept(candidates);
        List<Long> candidateIds = candidates.mapTo(Long.class).list();
        if (candidateIds.isEmpty()) {
            return List.of();
        }
        List<Long> ids = lock(handle, "id IN (<candidates>) AND ", limit, now, bind,
                query -> query.bindList("candidates", candidateIds));
        if (ids.isEmpty() && candidateIds.size() == 2 * Math.max(1, limit)) {
            // other nodes hold every candidate, and there are more rows: look past them, as one query
            ids = lock(handle, "", limit, now, bind, query -> { });
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        Update update = handle.createUpdate("UPDATE " + table + " SET claimed_by = :claimedBy, "
                        + "claimed_until = :claimedUntil" + (alsoSet.isEmpty() ? "" : ", " + alsoSet)
                        + " WHERE id IN (<claimed>)")
                .bind("claimedBy", node)
                .bind("claimedUntil", now.plus(length))
                .bind("now", now)
                .bindList("claimed", ids);
        bind.accept(update);
        update.execute();
        return ids.stream().sorted().toList();
    }

    /** The claimable rows (among those {@code among} narrows to) this transaction could lock, up to the limit. */
    private List<Long> lock(Handle handle, String among, int limit, OffsetDateTime now, Consumer<SqlStatement<?>> bind,
                            Consumer<Query> bindAmong) {
        Query pick = handle.createQuery("SELECT id FROM " + table + " WHERE " + among + "(" + claimable + ") AND "
                        + FREE + " ORDER BY " + order + " FETCH FIRST " + Math.max(1, limit)
                        + " ROWS ONLY FOR UPDATE SKIP LOCKED")
                .bind("now", now);
        bindAmong.accept(pick);
        bind.accept(pick);
        return pick.mapTo(Long.class).list();
    }

    /**
     * Renews this node's claim on one row from {@code now}; false when the row is not this node's any more (its
     * lease ran out and another node took it, or the work ended).
     */
    public boolean renew(Handle handle, long id, OffsetDateTime now) {
        return handle.createUpdate("UPDATE " + table + " SET claimed_until = :claimedUntil WHERE id = :id "
                        + "AND claimed_by = :claimedBy")
                .bind("claimedUntil", now.plus(length))
                .bind("id", id)
                .bind("claimedBy", node)
                .execute() == 1;
    }

    /**
     * Gives back this node's claims on rows that match {@code stillOpen} (an SQL condition with named parameters
     * from {@code values}), and on {@code onlyId} alone when not null; {@code alsoSet} as in {@link #claim}.
     * Answers how many claims were given back.
     */
    public int release(Handle handle, String stillOpen, Map<String, ?> values, Long onlyId, String alsoSet) {
        Update update = handle.createUpdate("UPDATE " + table + " SET claimed_by = NULL, claimed_until = NULL"
                        + (alsoSet.isEmpty() ? "" : ", " + alsoSet) + " WHERE claimed_by = :claimedBy AND ("
                        + stillOpen + ")" + (onlyId == null ? "" : " AND id = :onlyId"))
                .bind("claimedBy", node)
                .bindMap(values);
        if (onlyId != null) {
            update.bind("onlyId", onlyId.longValue());
        }
        return update.execute();
    }
}
