package io.backuphub.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jdbi.v3.core.Handle;

/**
 * The totals of one table's lists (the {@code X-Total-Count} of every page), kept while the table is as it was when
 * they were counted, so a list of 100,000 rows is not counted again on every page. The table's rows are only ever
 * added (never removed, and the columns the lists filter on never change), so the rows it holds are told apart by
 * their number and their highest id: a total counted at that stamp is right for as long as the stamp stays. On H2
 * both come from the table's own bookkeeping, without reading rows ({@code COUNT(*)} without a condition and the
 * highest key of the primary index). Elsewhere (PostgreSQL reads rows to count them) every total is counted.
 */
final class ListTotals {

    /** Lists differ by their filters: callers with other customers, definitions. */
    private static final int MAX_LISTS = 10_000;

    private record Key(String countSql, List<Object> params) {
    }

    /**
     * A list's total, counted when the table had {@code rows} rows up to {@code maxId} ({@code rows} -1: a database
     * whose totals are not kept).
     */
    record Counted(long rows, long maxId, long total) {
    }

    private final String stampSql;
    private final Map<Key, Counted> totals = new ConcurrentHashMap<>();
    private volatile Boolean quickStamp;

    ListTotals(String table) {
        this.stampSql = "SELECT COUNT(*), MAX(id) FROM " + table;
    }

    /** The list's total: the one counted at the table's present stamp, else {@code count}'s. */
    Counted total(Handle h, String countSql, List<Object> params, LongSupplier count) {
        if (!quickStamp(h)) {
            return new Counted(-1, -1, count.getAsLong());
        }
        // read before counting: rows added meanwhile change the stamp, so that total is never taken for this one
        long[] stamp = h.createQuery(stampSql).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
        Key key = new Key(countSql, List.copyOf(params));
        Counted known = totals.get(key);
        if (known != null && known.rows() == stamp[0] && known.maxId() == stamp[1]) {
            return known;
        }
        Counted counted = new Counted(stamp[0], stamp[1], count.getAsLong());
        if (totals.size() >= MAX_LISTS) {
            totals.clear();
        }
        totals.put(key, counted);
        return counted;
    }

    private boolean quickStamp(Handle h) {
        Boolean quick = quickStamp;
        if (quick == null) {
            try {
                quick = "H2".equals(h.getConnection().getMetaData().getDatabaseProductName());
            } catch (java.sql.SQLException e) {
                quick = false;
            }
            quickStamp = quick;
        }
        return quick;
    }
}
