package io.backuphub.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.Backup;
import io.backuphub.api.model.BackupCopy;
import io.backuphub.api.model.BackupDefinition;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.BackupRecord;
import io.backuphub.api.model.Customer;
import io.backuphub.api.model.Endpoint;
import io.backuphub.api.model.LogLine;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogException;
import io.backuphub.ops.StorageTargets;

/**
 * The catalog's read side for the v1 API: one query per question, paged in SQL that runs on H2 and PostgreSQL
 * ({@code OFFSET ? ROWS FETCH NEXT ? ROWS ONLY}), lists ascending by id. Lists of instances are narrowed to the
 * caller's customers here; single objects are checked by the API against the caller.
 * <p>
 * Plain JDBC on the catalog's pool rather than its Jdbi: these statements run on every API request, and a Jdbi
 * statement's context and configuration cost more than H2 takes to answer them (the profile of the list operations
 * under load). The lists' rows are read by column position; the JSON columns with a streaming parser.
 */
public class CatalogQueries {

    private static final String INSTANCE_COLUMNS = "id, customer_id, backup_definition_id, backup_frequency, name, "
            + "provider, source_json, status, last_backup_at, created_at, updated_at";
    private static final int INSTANCE_COLUMN_COUNT = 11;
    private static final String BACKUP_COLUMNS = "id, backup_instance_id, provider_backup_id, status, type, started_at, "
            + "completed_at, size_bytes, warnings_json, provider_status";
    private static final String BACKUP_COLUMNS_OF_B = "b." + BACKUP_COLUMNS.replace(", ", ", b.");
    private static final int BACKUP_COLUMN_COUNT = 10;
    /** A copy as the API shows it, from {@code copies x} joined with its {@code records r}. */
    private static final String COPY_COLUMNS = "x.target, x.status, x.sha256, x.stored_at, x.record_id, "
            + "r.name AS record_name, x.size_bytes";
    private static final int COPY_COLUMN_COUNT = 7;
    private static final String PAGE = " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
    private static final String RECORD_COLUMNS = "r.id, r.endpoint_name, r.backup_id, r.name, r.content_type, "
            + "r.size_bytes, r.sha256, r.created_at";
    private static final String EXPORT_COLUMNS = "id, backup_instance_id, backup_id, status, export_formats, "
            + "content_types, export_datetime, force_full, send_confirmation, storage_key, size_bytes, expires_at, "
            + "error_message, created_at, completed_at";
    /** Newest first by when the provider took it (ids follow ingestion order, not the provider's). */
    private static final String NEWEST_FIRST = " ORDER BY COALESCE(started_at, created_at) DESC, id DESC";

    /** Grants come from the configuration (clients, OAuth clients): a few sets of names. */
    private static final int MAX_CACHED_GRANTS = 1_000;

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Map<Collection<String>, Set<Long>> customerIdsByNames = new ConcurrentHashMap<>();
    /** Totals of instance lists (X-Total-Count): counting a customer's 100,000 instances on every page is the cost. */
    private final ListTotals instanceTotals;

    /** Reads through the catalog's own Jdbi. */
    public CatalogQueries(Catalog catalog, ObjectMapper json) {
        this.dataSource = catalog.dataSource();
        this.json = json;
        this.instanceTotals = new ListTotals("backup_instances");
    }

    // ---------------------------------------------------------------- customers and definitions

    /**
     * The ids of the customers with these names (names not in the catalog yet are left out). Asked on every API
     * request, so an answer that names every customer is kept: customers are never renamed or removed, so their
     * ids do not change; a name not in the catalog yet is asked again until it is.
     */
    public Set<Long> customerIds(Collection<String> names) {
        if (names.isEmpty()) {
            return Set.of();
        }
        Set<Long> known = customerIdsByNames.get(names);
        if (known != null) {
            return known;
        }
        String marks = String.join(", ", Collections.nCopies(names.size(), "?"));
        Set<Long> ids = Set.copyOf(list("SELECT id FROM customers WHERE name IN (" + marks + ")",
                rs -> rs.getLong("id"), names.toArray()));
        if (ids.size() == names.size() && customerIdsByNames.size() < MAX_CACHED_GRANTS) {
            customerIdsByNames.put(Set.copyOf(names), ids);
        }
        return ids;
    }

    public Page<Customer> customers(Caller caller, PageRequest request) {
        Where where = new Where().visibleTo(caller, "id");
        return page("SELECT id, name, created_at", " FROM customers" + where, "id", CatalogQueries::customer,
                request, where.params());
    }

    public Optional<Customer> customer(long id) {
        return one("SELECT id, name, created_at FROM customers WHERE id = ?", CatalogQueries::customer, id);
    }

    public Page<BackupDefinition> definitions(PageRequest request) {
        return page("SELECT id, provider, name, description, created_at", " FROM backup_definitions", "id",
                CatalogQueries::definition, request, List.of());
    }

    public Optional<BackupDefinition> definition(String id) {
        return one("SELECT id, provider, name, description, created_at FROM backup_definitions WHERE id = ?",
                CatalogQueries::definition, id);
    }

    // ---------------------------------------------------------------- instances

    /** The caller's instances, optionally of one definition and/or one customer. */
    public Page<BackupInstance> instances(Caller caller, String definitionId, Long customerId, PageRequest request) {
        Where where = new Where().visibleTo(caller, "customer_id");
        if (definitionId != null) {
            where.and("backup_definition_id = ?", definitionId);
        }
        if (customerId != null) {
            where.and("customer_id = ?", customerId);
        }
        return read(c -> instancePage(c, where, request));
    }

    /**
     * A page of instances and the list's total. Where {@link ListTotals} keeps totals (H2), the page's statement also
     * reads the table's stamp: a page read at the stamp of the kept total is answered with that total, so the page
     * costs one statement; otherwise the list is counted again (with its stamp, in the same statement).
     */
    private Page<BackupInstance> instancePage(Connection c, Where where, PageRequest request) throws SQLException {
        String from = " FROM backup_instances" + where;
        List<Object> params = where.params();
        Object[] paged = paged(params, request);
        if (!instanceTotals.kept(c)) {
            long total = count(c, "SELECT COUNT(*)" + from, params);
            return new Page<>(list(c, "SELECT " + INSTANCE_COLUMNS + from + " ORDER BY id" + PAGE, this::instance,
                    paged), total, request);
        }
        ListTotals.Counted known = instanceTotals.known(from, params);
        if (known == null) {
            known = instanceTotals.count(c, from, params);
        }
        String rows = from;
        if (known.rows() > 0 && known.total() > 0
                && (double) (request.offset() + request.perPage()) * known.rows() < (double) known.total() * known.total()) {
            // H2 reads a customer's rows by its customer_id index and sorts all of them for one page; when the list
            // holds a good share of the table, walking the table in id order (the primary key) until the page is
            // full reads far fewer rows: the page's end times the table's rows per listed row, against them all
            rows = " FROM backup_instances USE INDEX ()" + where;
        }
        long[] stamp = new long[] {-1, -1};
        int stampColumn = INSTANCE_COLUMN_COUNT + 1;
        List<BackupInstance> items = list(c, "SELECT " + INSTANCE_COLUMNS + ", " + instanceTotals.stampColumns() + rows
                + " ORDER BY id" + PAGE, rs -> {
                    stamp[0] = rs.getLong(stampColumn);
                    stamp[1] = rs.getLong(stampColumn + 1);
                    return instance(rs);
                }, paged);
        if (items.isEmpty()) {
            long[] now = instanceTotals.stamp(c);
            stamp[0] = now[0];
            stamp[1] = now[1];
        }
        if (!known.at(stamp[0], stamp[1])) {
            known = instanceTotals.count(c, from, params);
        }
        return new Page<>(items, known.total(), request);
    }

    public Optional<BackupInstance> instance(long id) {
        return one("SELECT " + INSTANCE_COLUMNS + " FROM backup_instances WHERE id = ?", this::instance, id);
    }

    /** The customer's instance already registered for this provider key, if any (another customer's is not). */
    public Optional<Long> instanceIdBySource(long customerId, String connection, String sourceKey) {
        return one("SELECT id FROM backup_instances WHERE customer_id = ? AND source = ? "
                + "AND source_key = ?", rs -> rs.getLong("id"), customerId, connection, sourceKey);
    }

    /** The id of the customer with this name, if the catalog has it. */
    public Optional<Long> customerId(String name) {
        return one("SELECT id FROM customers WHERE name = ?", rs -> rs.getLong("id"), name);
    }

    // ---------------------------------------------------------------- backups

    /**
     * A page of the backups of an instance the caller sees, each with its copies, and the list's total: one statement
     * when the page has rows (the instance is checked against the caller inside it, the copies are joined to the
     * page). Empty when the caller does not see the instance (or it does not exist).
     */
    public Optional<Page<Backup>> backups(Caller caller, long instanceId, PageRequest request) {
        return read(c -> {
            Where visible = new Where().and("i.id = ?", instanceId).visibleTo(caller, "i.customer_id");
            List<Object> params = new ArrayList<>();
            params.add(instanceId);
            params.addAll(visible.params());
            String sql = "SELECT " + BACKUP_COLUMNS_OF_B + ", " + COPY_COLUMNS + ", (SELECT COUNT(*) FROM backups "
                    + "WHERE backup_instance_id = ?) AS total FROM (SELECT " + BACKUP_COLUMNS + " FROM backups "
                    + "WHERE backup_instance_id = (SELECT i.id FROM backup_instances i" + visible + ") ORDER BY id" + PAGE
                    + ") b LEFT JOIN copies x ON x.backup_id = b.id LEFT JOIN records r ON r.id = x.record_id "
                    + "ORDER BY b.id, x.record_id, x.target";
            List<Backup> items = new ArrayList<>();
            long total = -1;
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                bind(statement, paged(params, request));
                try (ResultSet rs = statement.executeQuery()) {
                    Backup backup = null;
                    List<BackupCopy> copies = new ArrayList<>();
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        if (backup == null || backup.id() != id) {
                            if (backup != null) {
                                items.add(backup.withCopies(copies));
                                copies.clear();
                            }
                            backup = backup(rs);
                            total = rs.getLong(BACKUP_COLUMN_COUNT + COPY_COLUMN_COUNT + 1);
                        }
                        if (rs.getString(BACKUP_COLUMN_COUNT + 1) != null) {
                            copies.add(copy(rs, BACKUP_COLUMN_COUNT + 1));
                        }
                    }
                    if (backup != null) {
                        items.add(backup.withCopies(copies));
                    }
                }
            }
            if (items.isEmpty()) {
                // no rows: the instance is not the caller's, or this page of its list is empty
                if (list(c, "SELECT i.id FROM backup_instances i" + visible, rs -> rs.getLong(1),
                        visible.params().toArray()).isEmpty()) {
                    return Optional.empty();
                }
                total = count(c, "SELECT COUNT(*) FROM backups WHERE backup_instance_id = ?", List.of(instanceId));
            }
            return Optional.of(new Page<>(items, total, request));
        });
    }

    public Optional<Backup> backup(long instanceId, long backupId) {
        return withCopies(one("SELECT " + BACKUP_COLUMNS + " FROM backups WHERE backup_instance_id = ? AND id = ?",
                this::backup, instanceId, backupId));
    }

    /** The newest backup the provider is still running (queued or in progress). */
    public Optional<Backup> activeBackup(long instanceId) {
        return withCopies(one("SELECT " + BACKUP_COLUMNS + " FROM backups WHERE backup_instance_id = ? "
                + "AND status IN ('queued', 'in_progress')" + NEWEST_FIRST + " FETCH FIRST 1 ROWS ONLY", this::backup,
                instanceId));
    }

    public Optional<Backup> newestBackup(long instanceId) {
        return withCopies(one("SELECT " + BACKUP_COLUMNS + " FROM backups WHERE backup_instance_id = ?" + NEWEST_FIRST
                + " FETCH FIRST 1 ROWS ONLY", this::backup, instanceId));
    }

    /** The newest backup a restore (or an export) can use: completed or partial. */
    public Optional<Backup> newestRestorableBackup(long instanceId) {
        return withCopies(one("SELECT " + BACKUP_COLUMNS + " FROM backups WHERE backup_instance_id = ? "
                + "AND status IN ('completed', 'partial')" + NEWEST_FIRST + " FETCH FIRST 1 ROWS ONLY", this::backup,
                instanceId));
    }

    /** Where this backup is: its copies from the fan-out's table. */
    private Optional<Backup> withCopies(Optional<Backup> backup) {
        return backup.map(b -> b.withCopies(list("SELECT " + COPY_COLUMNS + " FROM copies x JOIN records r "
                + "ON r.id = x.record_id WHERE x.backup_id = ? ORDER BY x.record_id, x.target", rs -> copy(rs, 1),
                b.id())));
    }

    // ---------------------------------------------------------------- endpoints and records

    public Page<Endpoint> endpoints(long instanceId, PageRequest request) {
        return page("SELECT e.name, e.backup_instance_id, e.description, (SELECT COUNT(*) FROM records r "
                        + "WHERE r.backup_instance_id = e.backup_instance_id AND r.endpoint_name = e.name) AS record_count",
                " FROM endpoints e WHERE e.backup_instance_id = ?", "e.name", CatalogQueries::endpoint, request,
                List.of(instanceId));
    }

    public Optional<Endpoint> endpoint(long instanceId, String name) {
        return one("SELECT e.name, e.backup_instance_id, e.description, (SELECT COUNT(*) FROM records r "
                        + "WHERE r.backup_instance_id = e.backup_instance_id AND r.endpoint_name = e.name) AS record_count "
                        + "FROM endpoints e WHERE e.backup_instance_id = ? AND e.name = ?", CatalogQueries::endpoint,
                instanceId, name);
    }

    public Page<BackupRecord> records(long instanceId, String endpoint, PageRequest request) {
        return page("SELECT " + RECORD_COLUMNS, " FROM records r WHERE r.backup_instance_id = ? AND r.endpoint_name = ?",
                "r.id", CatalogQueries::record, request, List.of(instanceId, endpoint));
    }

    /** A record with what locates its bytes (instance and customer name). */
    public Optional<StoredRecord> record(long instanceId, String endpoint, long recordId) {
        return one("SELECT " + RECORD_COLUMNS + ", i.id AS instance_id, c.name AS customer_name FROM records r "
                        + "JOIN backup_instances i ON i.id = r.backup_instance_id JOIN customers c ON c.id = i.customer_id "
                        + "WHERE r.backup_instance_id = ? AND r.endpoint_name = ? AND r.id = ?",
                rs -> new StoredRecord(record(rs), rs.getLong("instance_id"), rs.getString("customer_name")), instanceId,
                endpoint, recordId);
    }

    // ---------------------------------------------------------------- exports

    public Page<ExportRow> exports(long instanceId, PageRequest request) {
        return page("SELECT " + EXPORT_COLUMNS, " FROM exports WHERE backup_instance_id = ?", "id",
                CatalogQueries::export, request, List.of(instanceId));
    }

    public Optional<ExportRow> export(long instanceId, long exportId) {
        return one("SELECT " + EXPORT_COLUMNS + " FROM exports WHERE backup_instance_id = ? AND id = ?",
                CatalogQueries::export, instanceId, exportId);
    }

    /** The export of the same backup with the same filters to reuse: a completed one first, else the newest not failed. */
    public Optional<ExportRow> sameExport(long instanceId, long backupId, String formats, String contentTypes,
                                          LocalDate exportDatetime) {
        return one("SELECT " + EXPORT_COLUMNS + " FROM exports WHERE backup_instance_id = ? AND backup_id = ? "
                        + "AND export_formats = ? AND content_types = ? AND status <> 'failed' AND "
                        + (exportDatetime == null ? "export_datetime IS NULL" : "export_datetime = ?")
                        + " ORDER BY CASE WHEN status = 'completed' THEN 0 ELSE 1 END, id DESC FETCH FIRST 1 ROWS ONLY",
                CatalogQueries::export,
                exportDatetime == null ? new Object[] {instanceId, backupId, formats, contentTypes}
                        : new Object[] {instanceId, backupId, formats, contentTypes, exportDatetime});
    }

    // ---------------------------------------------------------------- logs

    /**
     * One UTC day of an instance's log, oldest first: the lines written about its backups and one line per
     * sync of it (from {@code sync_runs}).
     */
    public Page<LogLine> logs(long instanceId, LocalDate day, PageRequest request) {
        OffsetDateTime from = day.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime to = from.plusDays(1);
        String union = " FROM (SELECT l.logged_at AS logged_at, l.level AS level, l.kind AS kind, l.backup_id AS backup_id, "
                + "l.message AS message, CAST(NULL AS VARCHAR(20)) AS outcome, 0 AS seen, 0 AS created, 0 AS updated, "
                + "0 AS rejected, 0 AS source_order, l.id AS row_id FROM instance_logs l "
                + "WHERE l.backup_instance_id = ? AND l.logged_at >= ? AND l.logged_at < ? "
                + "UNION ALL SELECT s.finished_at, CASE WHEN s.outcome = 'failed' THEN 'error' ELSE 'info' END, 'sync', "
                + "CAST(NULL AS BIGINT), s.error, s.outcome, s.seen, s.created, s.updated, s.rejected, 1, s.id "
                + "FROM sync_runs s WHERE s.scope = ? AND s.finished_at >= ? AND s.finished_at < ?) log_lines";
        return page("SELECT logged_at, level, kind, backup_id, message, outcome, seen, created, updated, rejected", union,
                "logged_at, source_order, row_id", CatalogQueries::logLine, request,
                List.of(instanceId, from, to, "instance:" + instanceId, from, to));
    }

    // ---------------------------------------------------------------- rows

    private static Customer customer(ResultSet rs) throws SQLException {
        return new Customer(rs.getLong("id"), rs.getString("name"), instant(rs, "created_at"));
    }

    private static BackupDefinition definition(ResultSet rs) throws SQLException {
        return new BackupDefinition(rs.getString("id"), rs.getString("provider"), rs.getString("name"),
                rs.getString("description"), instant(rs, "created_at"));
    }

    /** A row that starts with {@link #INSTANCE_COLUMNS}. */
    private BackupInstance instance(ResultSet rs) throws SQLException {
        return new BackupInstance(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), keys(rs.getString(7)), rs.getString(8), instant(rs, 9), instant(rs, 10),
                instant(rs, 11));
    }

    /** A row that starts with {@link #BACKUP_COLUMNS}; its copies are added by the caller. */
    private Backup backup(ResultSet rs) throws SQLException {
        return new Backup(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                instant(rs, 6), instant(rs, 7), rs.getObject(8, Long.class), strings(rs.getString(9)), List.of(),
                rs.getString(10));
    }

    /** The {@link #COPY_COLUMNS} of a row, from column {@code first} on. */
    private static BackupCopy copy(ResultSet rs, int first) throws SQLException {
        // a target as operators see it: without a query, which may hold options or credentials
        return new BackupCopy(StorageTargets.label(rs.getString(first)), rs.getString(first + 1),
                rs.getString(first + 2), instant(rs, first + 3), rs.getLong(first + 4), rs.getString(first + 5),
                rs.getObject(first + 6, Long.class));
    }

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        return new Endpoint(rs.getString("name"), rs.getLong("backup_instance_id"), rs.getString("description"),
                rs.getLong("record_count"));
    }

    private static BackupRecord record(ResultSet rs) throws SQLException {
        return new BackupRecord(rs.getLong("id"), rs.getString("endpoint_name"), rs.getLong("backup_id"),
                rs.getString("name"), rs.getString("content_type"), rs.getObject("size_bytes", Long.class),
                rs.getString("sha256"), instant(rs, "created_at"));
    }

    private static ExportRow export(ResultSet rs) throws SQLException {
        return new ExportRow(rs.getLong("id"), rs.getLong("backup_instance_id"), rs.getObject("backup_id", Long.class),
                rs.getString("status"), rs.getString("export_formats"), rs.getString("content_types"),
                rs.getObject("export_datetime", LocalDate.class), rs.getBoolean("force_full"),
                rs.getBoolean("send_confirmation"), rs.getString("storage_key"), rs.getObject("size_bytes", Long.class),
                instant(rs, "expires_at"), rs.getString("error_message"), instant(rs, "created_at"),
                instant(rs, "completed_at"));
    }

    private static LogLine logLine(ResultSet rs) throws SQLException {
        String kind = rs.getString("kind");
        String message = rs.getString("message");
        if ("sync".equals(kind)) {
            String counts = "seen " + rs.getInt("seen") + ", new " + rs.getInt("created") + ", updated "
                    + rs.getInt("updated") + ", rejected " + rs.getInt("rejected");
            message = "sync " + rs.getString("outcome") + ": " + counts + (message == null ? "" : ": " + message);
        }
        return new LogLine(instant(rs, "logged_at"), rs.getString("level"), kind, rs.getObject("backup_id", Long.class),
                message);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private Map<String, String> keys(String text) throws SQLException {
        return JsonColumns.keys(json, text);
    }

    private List<String> strings(String text) throws SQLException {
        return JsonColumns.strings(json, text);
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A WHERE clause built from conditions, with its parameters. */
    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> params = new ArrayList<>();

        Where visibleTo(Caller caller, String customerColumn) {
            if (caller.seesAll()) {
                return this;
            }
            if (caller.customerIds().isEmpty()) {
                conditions.add("1 = 0");
                return this;
            }
            conditions.add(customerColumn + " IN (" + String.join(", ",
                    Collections.nCopies(caller.customerIds().size(), "?")) + ")");
            params.addAll(caller.customerIds());
            return this;
        }

        Where and(String condition, Object param) {
            conditions.add(condition);
            params.add(param);
            return this;
        }

        List<Object> params() {
            return params;
        }

        @Override
        public String toString() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }
    }

    /** A page and the list's total, on one connection. */
    private <T> Page<T> page(String select, String from, String orderBy, Row<T> row, PageRequest request,
                             List<Object> params) {
        return read(c -> {
            long total = count(c, "SELECT COUNT(*)" + from, params);
            return new Page<>(list(c, select + from + " ORDER BY " + orderBy + PAGE, row, paged(params, request)),
                    total, request);
        });
    }

    /** The parameters followed by the page's offset and size. */
    private static Object[] paged(List<Object> params, PageRequest request) {
        Object[] all = params.toArray(new Object[params.size() + 2]);
        all[params.size()] = request.offset();
        all[params.size() + 1] = request.perPage();
        return all;
    }

    private static long count(Connection c, String countSql, List<Object> params) throws SQLException {
        List<Long> rows = list(c, countSql, rs -> rs.getLong(1), params.toArray());
        return rows.isEmpty() ? 0L : rows.get(0);
    }

    private <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> rows = list(sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> List<T> list(String sql, Row<T> row, Object... params) {
        return read(c -> list(c, sql, row, params));
    }

    static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, params);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.map(rs));
                }
                return rows;
            }
        }
    }

    private static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
    }

    /** Work on a connection of the catalog's pool (auto-commit: each statement reads what is committed). */
    @FunctionalInterface
    private interface Read<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T read(Read<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.on(c);
        } catch (SQLException e) {
            throw new CatalogException("the catalog could not be read: " + e.getMessage(), e);
        }
    }
}
