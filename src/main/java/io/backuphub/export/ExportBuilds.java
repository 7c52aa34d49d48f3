package io.backuphub.export;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.backuphub.api.ExportFormat;
import io.backuphub.api.ExportStore;
import io.backuphub.catalog.Catalog;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node builds which export ({@code exportBuilds} in the registry): a claim moves a queued export (or a
 * running one whose lease ran out) to running with a lease, in one conditional UPDATE, so two nodes never
 * build the same export. The build ends through {@link ExportStore}'s complete or fail.
 */
public class ExportBuilds {

    private static final Logger LOG = LoggerFactory.getLogger("io.backuphub.exports");
    private static final String CLAIMABLE = "(status = 'queued' OR (status = 'running' "
            + "AND (claimed_until IS NULL OR claimed_until < ?)))";

    private final Catalog catalog;
    private final ExportStore store;
    private final Clock clock;
    private final String node;
    private final Duration lease;
    private final Duration linkTtl;

    public ExportBuilds(Catalog catalog, ExportStore store, Clock clock, String node, Duration lease, Duration linkTtl) {
        this.catalog = catalog;
        this.store = store;
        this.clock = clock;
        this.node = node;
        this.lease = lease;
        this.linkTtl = linkTtl;
    }

    /** Ids of exports to build: queued ones, and running ones nobody holds any more (a crashed node's). */
    public List<Long> claimable(int limit) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM exports WHERE " + CLAIMABLE
                    + " ORDER BY id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY")) {
                ps.setObject(1, now());
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    /** Claims the export for this node and answers what to build, or null when it is not claimable (any more). */
    public ExportJob claim(@Header("hubExportId") long exportId) {
        OffsetDateTime now = now();
        boolean mine = catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE exports SET status = 'running', claimed_by = ?, "
                    + "claimed_until = ? WHERE id = ? AND backup_id IS NOT NULL AND " + CLAIMABLE)) {
                ps.setString(1, node);
                ps.setObject(2, now.plus(lease));
                ps.setLong(3, exportId);
                ps.setObject(4, now);
                return ps.executeUpdate() == 1;
            }
        });
        return mine ? job(exportId) : null;
    }

    /** Completed: the archive's key and size, and a download link valid from now. */
    public boolean complete(@ExchangeProperty("hubExport") ExportJob job, BuiltArchive archive) {
        boolean done = store.complete(job.id(), archive.storageKey(), archive.sizeBytes(), clock.instant().plus(linkTtl));
        if (done) {
            LOG.info("export {} of backup {} (instance {}) completed: {} bytes, {}", job.id(), job.backupId(),
                    job.instanceId(), archive.sizeBytes(), job.format().wireName());
        }
        return done;
    }

    /** Not buildable yet: back to queued, so the next run of the schedule tries again. */
    public void requeue(@Header("hubExportId") long exportId,
                        @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception reason) {
        catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE exports SET status = 'queued', claimed_by = NULL, "
                    + "claimed_until = NULL WHERE id = ? AND status = 'running' AND claimed_by = ?")) {
                ps.setLong(1, exportId);
                ps.setString(2, node);
                return ps.executeUpdate();
            }
        });
        LOG.info("export {} waits: {}", exportId, reason.getMessage());
    }

    /** Failed, with a reason the client can read (details of an unexpected failure stay in the log). */
    public void fail(@Header("hubExportId") long exportId, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) {
        String reason = failure instanceof ExportFailure || failure instanceof ExportWaiting ? failure.getMessage()
                : "the archive could not be built (" + failure.getClass().getSimpleName()
                        + "); the hub's log has the details";
        if (store.fail(exportId, reason)) {
            LOG.warn("export {} failed: {}", exportId, failure.getMessage());
        }
    }

    /** Gives back this node's claims (a restart after a crash), so their exports are built again at once. */
    public int releaseClaims() {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE exports SET claimed_by = NULL, claimed_until = NULL "
                    + "WHERE claimed_by = ? AND status = 'running'")) {
                ps.setString(1, node);
                return ps.executeUpdate();
            }
        });
    }

    private ExportJob job(long exportId) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT e.id, e.backup_instance_id, e.backup_id, cu.name, "
                    + "i.name, i.provider, e.export_formats, e.content_types, e.export_datetime, e.send_confirmation, "
                    + "e.created_at FROM exports e JOIN backup_instances i ON i.id = e.backup_instance_id "
                    + "JOIN customers cu ON cu.id = i.customer_id WHERE e.id = ?")) {
                ps.setLong(1, exportId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no export " + exportId);
                    }
                    String types = rs.getString(8);
                    Set<String> contentTypes = types == null || types.isBlank() ? Set.of()
                            : new LinkedHashSet<>(Arrays.asList(types.split(",")));
                    Instant created = rs.getObject(11, OffsetDateTime.class).toInstant();
                    return new ExportJob(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), ExportFormat.of(rs.getString(7)), rs.getString(7), contentTypes,
                            rs.getObject(9, LocalDate.class), rs.getBoolean(10), created);
                }
            }
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
