package io.backuphub.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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
import io.backuphub.ops.StorageTargets;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The catalog's read side for the v1 API: one query per question, paged in SQL that runs on H2 and PostgreSQL
 * ({@code OFFSET ? ROWS FETCH NEXT ? ROWS ONLY}), lists ascending by id. Lists of instances are narrowed to the
 * caller's customers here; single objects are checked by the API against the caller.
 */
public class CatalogQueries {

    private static final String INSTANCE_COLUMNS = "id, customer_id, backup_definition_id, backup_frequency, name, "
            + "provider, source_json, status, last_backup_at, created_at, updated_at";
    private static final String BACKUP_COLUMNS = "id, backup_instance_id, provider_backup_id, status, type, started_at, "
            + "completed_at, size_bytes, warnings_json, provider_status";
    private static final String RECORD_COLUMNS = "r.id, r.endpoint_name, r.backup_id, r.name, r.content_type, "
            + "r.size_bytes, r.sha256, r.created_at";
    private static final String EXPORT_COLUMNS = "id, backup_instance_id, backup_id, status, export_formats, "
            + "content_types, export_datetime, force_full, send_confirmation, storage_key, size_bytes, expires_at, "
            + "error_message, created_at, completed_at";
    /** Newest first by when the provider took it (ids follow ingestion order, not the provider's). */
    private static final String NEWEST_FIRST = " ORDER BY COALESCE(started_at, created_at) DESC, id DESC";
    private static final TypeReference<Map<String, String>> KEYS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    /** Grants come from the configuration (clients, OAuth clients): a few sets of names. */
    private static final int MAX_CACHED_GRANTS = 1_000;

    private final Jdbi jdbi;
    private final ObjectMapper json;
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
        return page("SELECT " + INSTANCE_COLUMNS, " FROM backup_instances" + where, "id", this::instance, request,
                where.params(), instanceTotals);
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

    public Page<Backup> backups(long instanceId, PageRequest request) {
        return jdbi.withHandle(h -> {
            Page<Backup> page = page(h, "SELECT " + BACKUP_COLUMNS, " FROM backups WHERE backup_instance_id = ?", "id",
                    this::backup, request, List.of(instanceId), null);
            return new Page<>(withCopies(h, page.items()), page.total(), page.request());
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

    /** Where these backups are: their copies from the fan-out's table, read in one query for all of them. */
    private List<Backup> withCopies(List<Backup> backups) {
        return backups.isEmpty() ? backups : jdbi.withHandle(h -> withCopies(h, backups));
    }

    private List<Backup> withCopies(Handle h, List<Backup> backups) {
        if (backups.isEmpty()) {
            return backups;
        }
        List<Long> ids = backups.stream().map(Backup::id).distinct().toList();
        Map<Long, List<BackupCopy>> copies = list(h, "SELECT x.backup_id, x.target, x.status, x.sha256, x.stored_at, "
                        + "x.record_id, r.name AS record_name, x.size_bytes FROM copies x JOIN records r ON r.id = x.record_id "
                        + "WHERE x.backup_id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") "
                        + "ORDER BY x.backup_id, x.record_id, x.target",
                rs -> Map.entry(rs.getLong("backup_id"), copy(rs)), ids.toArray()).stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, LinkedHashMap::new,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return backups.stream().map(b -> b.withCopies(copies.getOrDefault(b.id(), List.of()))).toList();
    }

    private Optional<Backup> withCopies(Optional<Backup> backup) {
        return backup.map(b -> withCopies(List.of(b)).get(0));
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

    private BackupInstance instance(ResultSet rs) throws SQLException {
        return new BackupInstance(rs.getLong("id"), rs.getLong("customer_id"), rs.getString("backup_definition_id"),
                rs.getString("backup_frequency"), rs.getString("name"), rs.getString("provider"),
                read(rs.getString("source_json"), KEYS), rs.getString("status"), instant(rs, "last_backup_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private Backup backup(ResultSet rs) throws SQLException {
        // copies are added by withCopies, for a whole page at once
        return new Backup(rs.getLong("id"), rs.getLong("backup_instance_id"), rs.getString("provider_backup_id"),
                rs.getString("status"), rs.getString("type"), instant(rs, "started_at"), instant(rs, "completed_at"),
                rs.getObject("size_bytes", Long.class), read(rs.getString("warnings_json"), STRINGS), List.of(),
                rs.getString("provider_status"));
    }

    /** A row of {@code copies}, as the query in {@link #withCopies(List)} reads it. */
    private static BackupCopy copy(ResultSet rs) throws SQLException {
        // a target as operators see it: without a query, which may hold options or credentials
        return new BackupCopy(StorageTargets.label(rs.getString("target")), rs.getString("status"),
                rs.getString("sha256"), instant(rs, "stored_at"), rs.getLong("record_id"), rs.getString("record_name"),
                rs.getObject("size_bytes", Long.class));
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

    private <T> T read(String text, TypeReference<T> type) throws SQLException {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable JSON column: " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Row<T> {
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

    private <T> Page<T> page(String select, String from, String orderBy, Row<T> row, PageRequest request,
                             List<Object> params) {
        return page(select, from, orderBy, row, request, params, null);
    }

    /** A page and the list's total, in one connection; the total from {@code totals} while it is still right. */
    private <T> Page<T> page(String select, String from, String orderBy, Row<T> row, PageRequest request,
                             List<Object> params, ListTotals totals) {
        return jdbi.withHandle(h -> page(h, select, from, orderBy, row, request, params, totals));
    }

    private <T> Page<T> page(Handle h, String select, String from, String orderBy, Row<T> row, PageRequest request,
                             List<Object> params, ListTotals totals) {
        List<Object> all = new ArrayList<>(params);
        all.add(request.offset());
        all.add(request.perPage());
        String countSql = "SELECT COUNT(*) AS total" + from;
        ListTotals.Counted counted = totals != null ? totals.total(h, countSql, params, () -> count(h, countSql, params))
                : new ListTotals.Counted(-1, -1, count(h, countSql, params));
        long total = counted.total();
        String rows = from;
        if (counted.rows() > 0 && total > 0
                && (double) (request.offset() + request.perPage()) * counted.rows() < (double) total * total) {
            // H2 reads a customer's rows by its customer_id index and sorts all of them for one page; when the list
            // holds a good share of the table, walking the table in id order (the primary key) until the page is
            // full reads far fewer rows: the page's end times the table's rows per listed row, against them all
            rows = from.replaceFirst("^ FROM (\\w+)", " FROM $1 USE INDEX ()");
        }
        List<T> items = list(h, select + rows + " ORDER BY " + orderBy + " OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                row, all.toArray());
        return new Page<>(items, total, request);
    }

    private long count(Handle h, String countSql, List<Object> params) {
        List<Long> rows = list(h, countSql, rs -> rs.getLong("total"), params.toArray());
        return rows.isEmpty() ? 0L : rows.get(0);
    }

    private <T> Optional<T> one(String sql, Row<T> row, Object... params) {
        List<T> rows = list(sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> List<T> list(String sql, Row<T> row, Object... params) {
        return jdbi.withHandle(h -> list(h, sql, row, params));
    }

    private static <T> List<T> list(Handle h, String sql, Row<T> row, Object... params) {
        Query query = h.createQuery(sql);
        for (int i = 0; i < params.length; i++) {
            query.bind(i, params[i]);
        }
        return query.map((rs, context) -> row.map(rs)).list();
    }
}
