package io.backuphub.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The totals of one table's lists (the {@code X-Total-Count} of every page), kept while the table is as it was when
 * they were counted, so a list of 100,000 rows is not counted again on every page. The table's rows are only ever
 * added (never removed, and the columns the lists filter on never change), so the rows it holds are told apart by
 * their number and their highest id: a total counted at that stamp is right for as long as the stamp stays. On H2
 * both come from the table's own bookkeeping, without reading rows ({@code COUNT(*)} without a condition and the
 * highest key of the primary index), so a page's own statement reads the stamp too ({@link #stampColumns}) and is
 * answered with the kept total when the stamps match. A total is counted in the same statement as its stamp: one
 * snapshot of the table. Elsewhere (PostgreSQL reads rows to count them, and other nodes may write) every total is
 * counted ({@link #kept} is false).
 */
final class ListTotals {

    /** Lists differ by their filters: callers with other customers, definitions. */
    private static final int MAX_LISTS = 10_000;

    private record Key(String from, List<Object> params) {
    }

    /** A list's total, counted when the table had {@code rows} rows up to {@code maxId}. */
    record Counted(long rows, long maxId, long total) {

        /** Whether the table still has the rows this total was counted on. */
        boolean at(long rowsNow, long maxIdNow) {
            return rows == rowsNow && maxId == maxIdNow;
        }
    }

    private final String table;
    private final String stampColumns;
    private final Map<Key, Counted> totals = new ConcurrentHashMap<>();
    private volatile Boolean kept;

    ListTotals(String table) {
        this.table = table;
        this.stampColumns = "(SELECT COUNT(*) FROM " + table + ") AS stamp_rows, (SELECT MAX(id) FROM " + table
                + ") AS stamp_max_id";
    }

    /** Whether this database's totals are kept (H2: one process per database, and its stamp reads no rows). */
    boolean kept(Connection c) throws SQLException {
        Boolean quick = kept;
        if (quick == null) {
            quick = "H2".equals(c.getMetaData().getDatabaseProductName());
            kept = quick;
        }
        return quick;
    }

    /** The two columns of the table's stamp (its rows, its highest id), for a page's SELECT list. */
    String stampColumns() {
        return stampColumns;
    }

    /** The total kept for the list {@code from} (a FROM clause with its WHERE) with these parameters, or null. */
    Counted known(String from, List<Object> params) {
        return totals.get(new Key(from, params));
    }

    /** Counts the list with the table's stamp in one statement, and keeps the total. */
    Counted count(Connection c, String from, List<Object> params) throws SQLException {
        Counted counted = CatalogQueries.list(c, "SELECT COUNT(*), " + stampColumns + from,
                rs -> new Counted(rs.getLong(2), rs.getLong(3), rs.getLong(1)), params.toArray()).get(0);
        if (totals.size() >= MAX_LISTS) {
            totals.clear();
        }
        totals.put(new Key(from, List.copyOf(params)), counted);
        return counted;
    }

    /** The table's stamp now: its rows and its highest id. */
    long[] stamp(Connection c) throws SQLException {
        return CatalogQueries.list(c, "SELECT COUNT(*), MAX(id) FROM " + table,
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}).get(0);
    }
}
