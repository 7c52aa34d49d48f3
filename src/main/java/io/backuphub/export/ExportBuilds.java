package io.backuphub.export;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.backuphub.api.ExportFormat;
import io.backuphub.api.ExportStore;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import io.backuphub.catalog.Lease;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node builds which export ({@code exportBuilds} in the registry): a claim moves queued exports (or
 * running ones whose lease ran out) to running with a lease ({@link Lease}), a batch in one statement, so two
 * nodes never build the same export. The build ends through {@link ExportStore}'s complete or fail.
 */
public class ExportBuilds {

    private static final Logger LOG = LoggerFactory.getLogger("io.backuphub.exports");
    /** Queued, or running under a lease that ran out (the lease's own condition); a build needs its backup. */
    private static final String CLAIMABLE = "status IN ('queued', 'running') AND backup_id IS NOT NULL";
    private static final String RUNNING = "status = 'running'";
    private static final RowMapper<JobRow> JOB_ROW = ConstructorMapper.of(JobRow.class);

    private final Jdbi jdbi;
    /** Claims a batch of exports (the schedule's run). */
    private final Lease batch;
    /** Claims one export (right after its request, or one of a batch another trigger took). */
    private final Lease one;
    /** Exports this node claimed in a batch and has not started building yet. */
    private final Set<Long> heldForBuild = ConcurrentHashMap.newKeySet();
    private final ExportStore store;
    private final Clock clock;
    private final Duration linkTtl;

    public ExportBuilds(Catalog catalog, ExportStore store, Clock clock, String node, Duration lease, Duration linkTtl) {
        this.jdbi = CatalogJdbi.of(catalog);
        this.batch = new Lease("exports", CLAIMABLE, "id", node, lease);
        this.one = new Lease("exports", CLAIMABLE + " AND id = :id", "id", node, lease);
        this.store = store;
        this.clock = clock;
        this.linkTtl = linkTtl;
    }

    /**
     * Claims exports to build for this node, in one statement: queued ones, and running ones nobody holds any
     * more (a crashed node's); answers their ids, each then built through {@link #claim}.
     */
    public List<Long> claimable(int limit) {
        List<Long> ids = jdbi.inTransaction(h -> batch.claim(h, limit, now(), RUNNING, update -> { }));
        heldForBuild.addAll(ids);
        return ids;
    }

    /**
     * Answers what to build of an export this node claimed in {@link #claimable}, or claims it now (one conditional
     * UPDATE); null when it is not claimable (any more): another node or trigger has it, or it is finished.
     */
    public ExportJob claim(@Header("hubExportId") long exportId) {
        boolean mine = heldForBuild.remove(exportId)
                // the batch's claim, renewed as its build starts (unless its lease ran out and another node took it)
                ? jdbi.withHandle(h -> batch.renew(h, exportId, now()))
                : !jdbi.inTransaction(h -> one.claim(h, 1, now(), RUNNING, update -> update.bind("id", exportId)))
                        .isEmpty();
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
        jdbi.useHandle(h -> one.release(h, "status = 'running'", Map.of(), exportId, "status = 'queued'"));
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
        return jdbi.withHandle(h -> batch.release(h, "status = 'running'", Map.of(), null, ""));
    }

    private ExportJob job(long exportId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT e.id, e.backup_instance_id AS instance_id, e.backup_id, "
                        + "cu.name AS customer, i.name AS instance_name, i.provider, e.export_formats AS formats, "
                        + "e.content_types, e.export_datetime, e.send_confirmation, e.created_at "
                        + "FROM exports e JOIN backup_instances i ON i.id = e.backup_instance_id "
                        + "JOIN customers cu ON cu.id = i.customer_id WHERE e.id = :id")
                .bind("id", exportId)
                .map(JOB_ROW)
                .findOne()
                .map(JobRow::job)
                .orElseThrow(() -> new IllegalArgumentException("no export " + exportId)));
    }

    /** An export's row with what its build needs. */
    private record JobRow(long id, long instanceId, long backupId, String customer, String instanceName,
                          String provider, String formats, String contentTypes, LocalDate exportDatetime,
                          boolean sendConfirmation, OffsetDateTime createdAt) {
        ExportJob job() {
            Set<String> types = contentTypes == null || contentTypes.isBlank() ? Set.of()
                    : new LinkedHashSet<>(Arrays.asList(contentTypes.split(",")));
            return new ExportJob(id, instanceId, backupId, customer, instanceName, provider, ExportFormat.of(formats),
                    formats, types, exportDatetime, sendConfirmation, createdAt.toInstant());
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
