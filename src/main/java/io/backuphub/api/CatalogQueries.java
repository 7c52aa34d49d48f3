package io.backuphub.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.jdbi.v3.core.statement.SqlStatements;

/**
 * The catalog's read side for the v1 API: one query per question, paged in SQL that runs on H2 and PostgreSQL
 * ({@code OFFSET :offset ROWS FETCH NEXT :per_page ROWS ONLY}), lists ascending by id. Lists of instances are
 * narrowed to the caller's customers here; single objects are checked by the API against the caller.
 * <p>
 * Through the catalog's Jdbi, one handle per request, with named parameters and rows read by column label; the
 * busy lists are one statement per page (an instances page with its table's stamp, a backups page with its copies
 * and the instance check), and the JSON columns are read with a streaming parser.
 */
public class CatalogQueries {

    private static final String INSTANCE_COLUMNS = "id, customer_id, backup_definition_id, backup_frequency, name, "
            + "provider, source_json, status, last_backup_at, created_at, updated_at";
    private static final String BACKUP_COLUMNS = "id, backup_instance_id, provider_backup_id, status, type, started_at, "
            + "completed_at, size_bytes, warnings_json, provider_status";
    private static final String BACKUP_COLUMNS_OF_B = "b." + BACKUP_COLUMNS.replace(", ", ", b.");
    /** A copy as the API shows it, from {@code copies x} joined with its {@code records r}; labelled apart from a backup's. */
    private static final String COPY_COLUMNS = "x.target AS copy_target, x.status AS copy_status, "
            + "x.sha256 AS copy_sha256, x.stored_at AS copy_stored_at, x.record_id AS copy_record_id, "
            + "r.name AS copy_record_name, x.size_bytes AS copy_size_bytes";
    private static final String PAGE = " OFFSET :offset ROWS FETCH NEXT :per_page ROWS ONLY";
    private static final String RECORD_COLUMNS = "r.id, r.endpoint_name, r.backup_id, r.name, r.content_type, "
            + "r.size_bytes, r.sha256, r.created_at";
    private static final String EXPORT_COLUMNS = "id, backup_instance_id, backup_id, status, export_formats, "
            + "content_types, export_datetime, force_full, send_confirmation, storage_key, size_bytes, expires_at, "
            + "error_message, created_at, completed_at";
    /** Newest first by when the provider took it (ids follow ingestion order, not the provider's). */
    private static final String NEWEST_FIRST = " ORDER BY COALESCE(started_at, created_at) DESC, id DESC";

    private static final RowMapper<Long> ID = (rs, ctx) -> rs.getLong("id");
    private static final RowMapper<Long> TOTAL = (rs, ctx) -> rs.getLong("total");
    private static final RowMapper<Customer> CUSTOMER = (rs, ctx) -> new Customer(rs.getLong("id"),
            rs.getString("name"), instant(rs, "created_at"));
    private static final RowMapper<BackupDefinition> DEFINITION = (rs, ctx) -> new BackupDefinition(rs.getString("id"),
            rs.getString("provider"), rs.getString("name"), rs.getString("description"), instant(rs, "created_at"));
    private static final RowMapper<BackupCopy> COPY = (rs, ctx) -> copy(rs);
    private static final RowMapper<Endpoint> ENDPOINT = (rs, ctx) -> endpoint(rs);
    private static final RowMapper<BackupRecord> RECORD = (rs, ctx) -> record(rs);
    private static final RowMapper<ExportRow> EXPORT = (rs, ctx) -> export(rs);
    private static final RowMapper<LogLine> LOG_LINE = (rs, ctx) -> logLine(rs);

    /** Grants come from the configuration (clients, OAuth clients): a few sets of names. */
    private static final int MAX_CACHED_GRANTS = 1_000;

    private final Jdbi jdbi;
    private final ObjectMapper json;
    /** The rows with JSON columns, read with this API's object mapper. */
    private final RowMapper<BackupInstance> instanceRow = (rs, ctx) -> instance(rs);
    private final RowMapper<Backup> backupRow = (rs, ctx) -> backup(rs);
    private final Map<Collection<String>, Set<Long>> customerIdsByNames = new ConcurrentHashMap<>();
    /** Totals of instance lists (X-Total-Count): counting a customer's 100,000 instances on every page is the cost. */
    private final ListTotals instanceTotals;

    /** Reads through the catalog's own Jdbi. */
    public CatalogQueries(Catalog catalog, ObjectMapper json) {
        this.jdbi = catalog.jdbi();
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
        Where where = new Where().in("name", "name", names);
        Set<Long> ids = Set.copyOf(list("SELECT id FROM customers" + where, ID, where.params()));
        if (ids.size() == names.size() && customerIdsByNames.size() < MAX_CACHED_GRANTS) {
            customerIdsByNames.put(Set.copyOf(names), ids);
        }
        return ids;
    }

    public Page<Customer> customers(Caller caller, PageRequest request) {
        Where where = new Where().visibleTo(caller, "id");
        return page("SELECT id, name, created_at", " FROM customers" + where, "id", CUSTOMER, request, where.params());
    }

    public Optional<Customer> customer(long id) {
        return one("SELECT id, name, created_at FROM customers WHERE id = :id", CUSTOMER, Map.of("id", id));
    }

    public Page<BackupDefinition> definitions(PageRequest request) {
        return page("SELECT id, provider, name, description, created_at", " FROM backup_definitions", "id", DEFINITION,
                request, Map.of());
    }

    public Optional<BackupDefinition> definition(String id) {
        return one("SELECT id, provider, name, description, created_at FROM backup_definitions WHERE id = :id",
                DEFINITION, Map.of("id", id));
    }

    // ---------------------------------------------------------------- instances

    /** The caller's instances, optionally of one definition and/or one customer. */
    public Page<BackupInstance> instances(Caller caller, String definitionId, Long customerId, PageRequest request) {
        Where where = new Where().visibleTo(caller, "customer_id");
        if (definitionId != null) {
            where.and("backup_definition_id = :definition", "definition", definitionId);
        }
        if (customerId != null) {
            where.and("customer_id = :customer", "customer", customerId);
        }
        return read(h -> instancePage(h, where, request));
    }

    /**
     * A page of instances and the list's total. Where {@link ListTotals} keeps totals (H2), the page's statement also
     * reads the table's stamp: a page read at the stamp of the kept total is answered with that total, so the page
     * costs one statement; otherwise the list is counted again (with its stamp, in the same statement).
     */
    private Page<BackupInstance> instancePage(Handle h, Where where, PageRequest request) {
        String from = " FROM backup_instances" + where;
        Map<String, Object> params = where.params();
        Map<String, Object> paged = paged(params, request);
        if (!instanceTotals.kept(h)) {
            long total = count(h, from, params);
            return new Page<>(list(h, "SELECT " + INSTANCE_COLUMNS + from + " ORDER BY id" + PAGE, instanceRow, paged),
                    total, request);
        }
        ListTotals.Counted known = instanceTotals.known(from, params);
        if (known == null) {
            known = instanceTotals.count(h, from, params);
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
        List<BackupInstance> items = list(h, "SELECT " + INSTANCE_COLUMNS + ", " + instanceTotals.stampColumns() + rows
                + " ORDER BY id" + PAGE, (rs, ctx) -> {
                    stamp[0] = rs.getLong(ListTotals.STAMP_ROWS);
                    stamp[1] = rs.getLong(ListTotals.STAMP_MAX_ID);
                    return instance(rs);
                }, paged);
        if (items.isEmpty()) {
            long[] now = instanceTotals.stamp(h);
            stamp[0] = now[0];
            stamp[1] = now[1];
        }
        if (!known.at(stamp[0], stamp[1])) {
            known = instanceTotals.count(h, from, params);
        }
        return new Page<>(items, known.total(), request);
    }

    public Optional<BackupInstance> instance(long id) {
        return one("SELECT " + INSTANCE_COLUMNS + " FROM backup_instances WHERE id = :id", instanceRow, Map.of("id", id));
    }

    /** The customer's instance already registered for this provider key, if any (another customer's is not). */
    public Optional<Long> instanceIdBySource(long customerId, String connection, String sourceKey) {
        return one("SELECT id FROM backup_instances WHERE customer_id = :customer AND source = :connection "
                + "AND source_key = :source_key", ID,
                Map.of("customer", customerId, "connection", connection, "source_key", sourceKey));
    }

    /** The id of the customer with this name, if the catalog has it. */
    public Optional<Long> customerId(String name) {
        return one("SELECT id FROM customers WHERE name = :name", ID, Map.of("name", name));
    }

    // ---------------------------------------------------------------- backups

    /** A row of a backups page: the backup, one of its copies (null when it has none) and the list's total. */
    private record BackupRow(Backup backup, BackupCopy copy, long total) {
    }

    /**
     * A page of the backups of an instance the caller sees, each with its copies, and the list's total: one statement
     * when the page has rows (the instance is checked against the caller inside it, the copies are joined to the
     * page). Empty when the caller does not see the instance (or it does not exist).
     */
    public Optional<Page<Backup>> backups(Caller caller, long instanceId, PageRequest request) {
        return read(h -> {
            Where visible = new Where().and("i.id = :instance", "instance", instanceId)
                    .visibleTo(caller, "i.customer_id");
            String sql = "SELECT " + BACKUP_COLUMNS_OF_B + ", " + COPY_COLUMNS + ", (SELECT COUNT(*) FROM backups "
                    + "WHERE backup_instance_id = :instance) AS total FROM (SELECT " + BACKUP_COLUMNS + " FROM backups "
                    + "WHERE backup_instance_id = (SELECT i.id FROM backup_instances i" + visible + ") ORDER BY id" + PAGE
                    + ") b LEFT JOIN copies x ON x.backup_id = b.id LEFT JOIN records r ON r.id = x.record_id "
                    + "ORDER BY b.id, x.record_id, x.target";
            List<BackupRow> rows = list(h, sql, (rs, ctx) -> new BackupRow(backup(rs),
                    rs.getString("copy_target") == null ? null : copy(rs), rs.getLong("total")),
                    paged(visible.params(), request));
            if (rows.isEmpty()) {
                // no rows: the instance is not the caller's, or this page of its list is empty
                if (list(h, "SELECT i.id FROM backup_instances i" + visible, ID, visible.params()).isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new Page<>(List.of(), count(h, " FROM backups WHERE backup_instance_id = :instance",
                        Map.of("instance", instanceId)), request));
            }
            // the rows of one backup follow each other, one per copy
            Map<Long, Backup> backups = new LinkedHashMap<>();
            Map<Long, List<BackupCopy>> copies = new HashMap<>();
            for (BackupRow row : rows) {
                backups.putIfAbsent(row.backup().id(), row.backup());
                List<BackupCopy> its = copies.computeIfAbsent(row.backup().id(), id -> new ArrayList<>());
                if (row.copy() != null) {
                    its.add(row.copy());
                }
            }
            List<Backup> items = backups.values().stream().map(b -> b.withCopies(copies.get(b.id()))).toList();
            return Optional.of(new Page<>(items, rows.get(0).total(), request));
        });
    }

    public Optional<Backup> backup(long instanceId, long backupId) {
        return withCopies(one("SELECT " + BACKUP_COLUMNS + " FROM backups WHERE backup_instance_id = :instance "
                + "AND id = :backup", backupRow, Map.of("instance", instanceId, "backup", backupId)));
    }

    /** The newest backup the provider is still running (queued or in progress). */
    public Optional<Backup> activeBackup(long instanceId) {
        return withCopies(one("SELECT " + BACKUP_COLUMNS + " FROM backups WHERE backup_instance_id = :instance "
                + "AND status IN ('queued', 'in_progress')" + NEWEST_FIRST + " FETCH FIRST 1 ROWS ONLY", backupRow,
                Map.of("instance", instanceId)));
    }

    public Optional<Backup> newestBackup(long instanceId) {
        return withCopies(one("SELECT " + BACKUP_COLUMNS + " FROM backups WHERE backup_instance_id = :instance"
                + NEWEST_FIRST + " FETCH FIRST 1 ROWS ONLY", backupRow, Map.of("instance", instanceId)));
    }

    /** The newest backup a restore (or an export) can use: completed or partial. */
    public Optional<Backup> newestRestorableBackup(long instanceId) {
        return withCopies(one("SELECT " + BACKUP_COLUMNS + " FROM backups WHERE backup_instance_id = :instance "
                + "AND status IN ('completed', 'partial')" + NEWEST_FIRST + " FETCH FIRST 1 ROWS ONLY", backupRow,
                Map.of("instance", instanceId)));
    }

    /** Where this backup is: its copies from the fan-out's table. */
    private Optional<Backup> withCopies(Optional<Backup> backup) {
        return backup.map(b -> b.withCopies(list("SELECT " + COPY_COLUMNS + " FROM copies x JOIN records r "
                + "ON r.id = x.record_id WHERE x.backup_id = :backup ORDER BY x.record_id, x.target", COPY,
                Map.of("backup", b.id()))));
    }

    // ---------------------------------------------------------------- endpoints and records

    public Page<Endpoint> endpoints(long instanceId, PageRequest request) {
        return page("SELECT e.name, e.backup_instance_id, e.description, (SELECT COUNT(*) FROM records r "
                        + "WHERE r.backup_instance_id = e.backup_instance_id AND r.endpoint_name = e.name) AS record_count",
                " FROM endpoints e WHERE e.backup_instance_id = :instance", "e.name", ENDPOINT, request,
                Map.of("instance", instanceId));
    }

    public Optional<Endpoint> endpoint(long instanceId, String name) {
        return one("SELECT e.name, e.backup_instance_id, e.description, (SELECT COUNT(*) FROM records r "
                        + "WHERE r.backup_instance_id = e.backup_instance_id AND r.endpoint_name = e.name) AS record_count "
                        + "FROM endpoints e WHERE e.backup_instance_id = :instance AND e.name = :name", ENDPOINT,
                Map.of("instance", instanceId, "name", name));
    }

    public Page<BackupRecord> records(long instanceId, String endpoint, PageRequest request) {
        return page("SELECT " + RECORD_COLUMNS, " FROM records r WHERE r.backup_instance_id = :instance AND r.endpoint_name = :endpoint",
                "r.id", RECORD, request, Map.of("instance", instanceId, "endpoint", endpoint));
    }

    /** A record with what locates its bytes (instance and customer name). */
    public Optional<StoredRecord> record(long instanceId, String endpoint, long recordId) {
        return one("SELECT " + RECORD_COLUMNS + ", i.id AS instance_id, c.name AS customer_name FROM records r "
                        + "JOIN backup_instances i ON i.id = r.backup_instance_id JOIN customers c ON c.id = i.customer_id "
                        + "WHERE r.backup_instance_id = :instance AND r.endpoint_name = :endpoint AND r.id = :record",
                (rs, ctx) -> new StoredRecord(record(rs), rs.getLong("instance_id"), rs.getString("customer_name")),
                Map.of("instance", instanceId, "endpoint", endpoint, "record", recordId));
    }

    // ---------------------------------------------------------------- exports

    public Page<ExportRow> exports(long instanceId, PageRequest request) {
        return page("SELECT " + EXPORT_COLUMNS, " FROM exports WHERE backup_instance_id = :instance", "id", EXPORT,
                request, Map.of("instance", instanceId));
    }

    public Optional<ExportRow> export(long instanceId, long exportId) {
        return one("SELECT " + EXPORT_COLUMNS + " FROM exports WHERE backup_instance_id = :instance AND id = :export",
                EXPORT, Map.of("instance", instanceId, "export", exportId));
    }

    /** The export of the same backup with the same filters to reuse: a completed one first, else the newest not failed. */
    public Optional<ExportRow> sameExport(long instanceId, long backupId, String formats, String contentTypes,
                                          LocalDate exportDatetime) {
        Map<String, Object> params = new HashMap<>(Map.of("instance", instanceId, "backup", backupId, "formats", formats,
                "content_types", contentTypes));
        if (exportDatetime != null) {
            params.put("export_datetime", exportDatetime);
        }
        return one("SELECT " + EXPORT_COLUMNS + " FROM exports WHERE backup_instance_id = :instance "
                        + "AND backup_id = :backup AND export_formats = :formats AND content_types = :content_types "
                        + "AND status <> 'failed' AND "
                        + (exportDatetime == null ? "export_datetime IS NULL" : "export_datetime = :export_datetime")
                        + " ORDER BY CASE WHEN status = 'completed' THEN 0 ELSE 1 END, id DESC FETCH FIRST 1 ROWS ONLY",
                EXPORT, params);
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
                + "WHERE l.backup_instance_id = :instance AND l.logged_at >= :from AND l.logged_at < :to "
                + "UNION ALL SELECT s.finished_at, CASE WHEN s.outcome = 'failed' THEN 'error' ELSE 'info' END, 'sync', "
                + "CAST(NULL AS BIGINT), s.error, s.outcome, s.seen, s.created, s.updated, s.rejected, 1, s.id "
                + "FROM sync_runs s WHERE s.scope = :scope AND s.finished_at >= :from AND s.finished_at < :to) log_lines";
        return page("SELECT logged_at, level, kind, backup_id, message, outcome, seen, created, updated, rejected", union,
                "logged_at, source_order, row_id", LOG_LINE, request,
                Map.of("instance", instanceId, "from", from, "to", to, "scope", "instance:" + instanceId));
    }

    // ---------------------------------------------------------------- rows

    /** A row with {@link #INSTANCE_COLUMNS}. */
    private BackupInstance instance(ResultSet rs) throws SQLException {
        return new BackupInstance(rs.getLong("id"), rs.getLong("customer_id"), rs.getString("backup_definition_id"),
                rs.getString("backup_frequency"), rs.getString("name"), rs.getString("provider"),
                keys(rs.getString("source_json")), rs.getString("status"), instant(rs, "last_backup_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    /** A row with {@link #BACKUP_COLUMNS}; its copies are added by the caller. */
    private Backup backup(ResultSet rs) throws SQLException {
        return new Backup(rs.getLong("id"), rs.getLong("backup_instance_id"), rs.getString("provider_backup_id"),
                rs.getString("status"), rs.getString("type"), instant(rs, "started_at"), instant(rs, "completed_at"),
                rs.getObject("size_bytes", Long.class), strings(rs.getString("warnings_json")), List.of(),
                rs.getString("provider_status"));
    }

    /** A row with {@link #COPY_COLUMNS}. */
    private static BackupCopy copy(ResultSet rs) throws SQLException {
        // a target as operators see it: without a query, which may hold options or credentials
        return new BackupCopy(StorageTargets.label(rs.getString("copy_target")), rs.getString("copy_status"),
                rs.getString("copy_sha256"), instant(rs, "copy_stored_at"), rs.getLong("copy_record_id"),
                rs.getString("copy_record_name"), rs.getObject("copy_size_bytes", Long.class));
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

    private Map<String, String> keys(String text) throws SQLException {
        return JsonColumns.keys(json, text);
    }

    private List<String> strings(String text) throws SQLException {
        return JsonColumns.strings(json, text);
    }

    // ---------------------------------------------------------------- plumbing

    /** A WHERE clause built from conditions, with its named parameters. */
    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final Map<String, Object> params = new LinkedHashMap<>();

        Where visibleTo(Caller caller, String customerColumn) {
            if (caller.seesAll()) {
                return this;
            }
            if (caller.customerIds().isEmpty()) {
                conditions.add("1 = 0");
                return this;
            }
            return in(customerColumn, "visible", caller.customerIds());
        }

        /** {@code column IN (:name_0, :name_1, ...)}. */
        Where in(String column, String name, Collection<?> values) {
            StringBuilder in = new StringBuilder(column).append(" IN (");
            int i = 0;
            for (Object value : values) {
                String param = name + "_" + i;
                in.append(i++ == 0 ? ":" : ", :").append(param);
                params.put(param, value);
            }
            conditions.add(in.append(')').toString());
            return this;
        }

        Where and(String condition, String name, Object param) {
            conditions.add(condition);
            params.put(name, param);
            return this;
        }

        Map<String, Object> params() {
            return params;
        }

        @Override
        public String toString() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }
    }

    /** A page and the list's total, on one handle. */
    private <T> Page<T> page(String select, String from, String orderBy, RowMapper<T> row, PageRequest request,
                             Map<String, Object> params) {
        return read(h -> new Page<>(list(h, select + from + " ORDER BY " + orderBy + PAGE, row, paged(params, request)),
                count(h, from, params), request));
    }

    /** The parameters with the page's offset and size. */
    private static Map<String, Object> paged(Map<String, Object> params, PageRequest request) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("offset", request.offset());
        all.put("per_page", request.perPage());
        return all;
    }

    /** The rows of {@code from} (a FROM clause with its WHERE). */
    private static long count(Handle h, String from, Map<String, Object> params) {
        return list(h, "SELECT COUNT(*) AS total" + from, TOTAL, params).get(0);
    }

    private <T> Optional<T> one(String sql, RowMapper<T> row, Map<String, Object> params) {
        return read(h -> h.createQuery(sql).bindMap(params).map(row).findFirst());
    }

    private <T> List<T> list(String sql, RowMapper<T> row, Map<String, Object> params) {
        return read(h -> list(h, sql, row, params));
    }

    static <T> List<T> list(Handle h, String sql, RowMapper<T> row, Map<String, ?> params) {
        return h.createQuery(sql).bindMap(params).map(row).list();
    }

    /** Work on a handle of the catalog's Jdbi (auto-commit: each statement reads what is committed). */
    private <T> T read(HandleCallback<T, RuntimeException> work) {
        try {
            return jdbi.withHandle(h -> {
                // these statements are plain SQL with named parameters: no template to render, every binding used
                h.getConfig(SqlStatements.class).setTemplateEngine(new NoTemplateEngine())
                        .setUnusedBindingAllowed(true);
                return work.withHandle(h);
            });
        } catch (JdbiException e) {
            throw new CatalogException("the catalog could not be read: " + e.getMessage(), e);
        }
    }
}
