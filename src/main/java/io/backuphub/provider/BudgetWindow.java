package io.backuphub.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

import io.backuphub.catalog.CatalogJdbi;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The sliding window of one connection's request budget, kept in the catalog database (tables
 * {@code provider_budgets} and {@code provider_budget_permits}), so every node on that database spends one budget:
 * at most {@code perPeriod} permits are taken in any {@code period}, by all nodes together.
 *
 * <p>A permit is taken in one short READ COMMITTED transaction: the connection's row is locked
 * ({@code SELECT ... FOR UPDATE}, which serialises the connection's takers across nodes), the permits that left the
 * window are deleted, the ones in it counted, and one is inserted when fewer than {@code perPeriod} are. Otherwise
 * the answer is how long until the oldest permit that keeps the window full leaves it; nobody waits while holding
 * the lock. A permit's time is the taking node's clock, read once the lock is held: nodes are expected to keep
 * their clocks in step (NTP); a node that is {@code s} ahead sees the window free {@code s} early.
 *
 * @param jdbi       the catalog's Jdbi
 * @param source     the connection
 * @param perPeriod  permits in any window
 * @param period     the window
 * @param node       this node's name, kept with the permits it takes
 * @param clock      the time of the permits
 */
record BudgetWindow(Jdbi jdbi, String source, int perPeriod, Duration period, String node, Clock clock) {

    /** The window of a connection on the catalog's database; its row is made when missing. */
    static BudgetWindow open(Jdbi jdbi, String source, int perPeriod, Duration period, String node, Clock clock) {
        BudgetWindow window = new BudgetWindow(jdbi, source, perPeriod, period, node, clock);
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO provider_budgets (source, created_at) "
                            + "SELECT :source, :now FROM (VALUES (1)) v "
                            + "WHERE NOT EXISTS (SELECT 1 FROM provider_budgets b WHERE b.source = :source)")
                    .bind("source", source)
                    .bind("now", window.now())
                    .execute());
        } catch (StatementException e) {
            if (!CatalogJdbi.isUniqueViolation(e)) {
                throw e;
            }
            // another node starting the same connection made the row at the same moment
        }
        return window;
    }

    /**
     * Takes a permit when the window has one: answers 0. Otherwise answers the milliseconds until the window frees
     * one (at least 1); nothing is taken then.
     */
    long take() {
        return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> {
            h.createQuery("SELECT source FROM provider_budgets WHERE source = :source FOR UPDATE")
                    .bind("source", source)
                    .mapTo(String.class)
                    .one();
            // the time is read under the lock: a taker that waited for it does not date its permit back
            OffsetDateTime now = now();
            h.createUpdate("DELETE FROM provider_budget_permits WHERE source = :source AND taken_at <= :since")
                    .bind("source", source)
                    .bind("since", now.minus(period))
                    .execute();
            int taken = count(h, now);
            if (taken < perPeriod) {
                h.createUpdate("INSERT INTO provider_budget_permits (source, taken_at, taken_by) "
                                + "VALUES (:source, :now, :node)")
                        .bind("source", source)
                        .bind("now", now)
                        .bind("node", node)
                        .execute();
                return 0L;
            }
            // the window frees a permit when the permit that keeps it full leaves it (the oldest when exactly full)
            OffsetDateTime keepsItFull = h.createQuery("SELECT taken_at FROM provider_budget_permits "
                            + "WHERE source = :source AND taken_at > :since ORDER BY taken_at "
                            + "OFFSET " + (taken - perPeriod) + " ROWS FETCH FIRST 1 ROWS ONLY")
                    .bind("source", source)
                    .bind("since", now.minus(period))
                    .mapTo(OffsetDateTime.class)
                    .one();
            return Math.max(1L, Duration.between(now, keepsItFull.plus(period)).toMillis());
        });
    }

    /** Permits taken in the window now, by every node. */
    int taken() {
        return jdbi.withHandle(h -> count(h, now()));
    }

    private int count(Handle h, OffsetDateTime now) {
        return h.createQuery("SELECT COUNT(*) FROM provider_budget_permits WHERE source = :source AND taken_at > :since")
                .bind("source", source)
                .bind("since", now.minus(period))
                .mapTo(Integer.class)
                .one();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }
}
