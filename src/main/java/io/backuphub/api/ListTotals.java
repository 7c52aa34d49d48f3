package io.backuphub.api;

import java.sql.DatabaseMetaData;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

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

    /** The labels of the stamp's columns in a page's row. */
    static final String STAMP_ROWS = "stamp_rows";
    static final String STAMP_MAX_ID = "stamp_max_id";

    private static final RowMapper<Counted> COUNTED = (rs, ctx) -> new Counted(rs.getLong(STAMP_ROWS),
            rs.getLong(STAMP_MAX_ID), rs.getLong("total"));

    private record Key(String from, Map<String, Object> params) {
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
        this.stampColumns = "(SELECT COUNT(*) FROM " + table + ") AS " + STAMP_ROWS + ", (SELECT MAX(id) FROM "
                + table + ") AS " + STAMP_MAX_ID;
    }

    /** Whether this database's totals are kept (H2: one process per database, and its stamp reads no rows). */
    boolean kept(Handle h) {
        Boolean quick = kept;
        if (quick == null) {
            quick = "H2".equals(h.queryMetadata(DatabaseMetaData::getDatabaseProductName));
            kept = quick;
        }
        return quick;
    }

    /** The two columns of the table's stamp (its rows, its highest id), for a page's SELECT list. */
    String stampColumns() {
        return stampColumns;
    }

    /** The total kept for the list {@code from} (a FROM clause with its WHERE) with these parameters, or null. */
    Counted known(String from, Map<String, Object> params) {
        return totals.get(new Key(from, params));
    }

    /** Counts the list with the table's stamp in one statement, and keeps the total. */
    Counted count(Handle h, String from, Map<String, Object> params) {
        Counted counted = CatalogQueries.list(h, "SELECT COUNT(*) AS total, " + stampColumns + from, COUNTED, params)
                .get(0);
        if (totals.size() >= MAX_LISTS) {
            totals.clear();
        }
        totals.put(new Key(from, Map.copyOf(params)), counted);
        return counted;
    }

    /** The table's stamp now: its rows and its highest id. */
    long[] stamp(Handle h) {
        return CatalogQueries.list(h, "SELECT COUNT(*) AS " + STAMP_ROWS + ", MAX(id) AS " + STAMP_MAX_ID + " FROM "
                + table, (rs, ctx) -> new long[] {rs.getLong(STAMP_ROWS), rs.getLong(STAMP_MAX_ID)}, Map.of()).get(0);
    }
}
