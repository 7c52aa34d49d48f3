package io.backuphub.ops;

import java.time.Instant;
import java.time.OffsetDateTime;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import io.backuphub.provider.SyncRun;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the catalog's {@code sync_runs}: the shared history every node writes, so a node that does not
 * poll a source still reports that source's truth in health and JMX.
 */
public class SyncHistory {

    private static final RowMapper<LastRun> LAST_RUN = ConstructorMapper.of(LastRun.class);
    private static final RowMapper<Totals> TOTALS = ConstructorMapper.of(Totals.class);

    private final Jdbi jdbi;

    public SyncHistory(Catalog catalog) {
        this.jdbi = CatalogJdbi.of(catalog);
    }

    public SourceStatus status(String source) {
        return jdbi.inTransaction(h -> {
            LastRun last = h.createQuery("SELECT finished_at, outcome, error, seen, created, updated FROM sync_runs "
                            + "WHERE source = :source AND scope = :all ORDER BY finished_at DESC, id DESC "
                            + "FETCH FIRST 1 ROWS ONLY")
                    .bind("source", source)
                    .bind("all", SyncRun.ALL)
                    .map(LAST_RUN)
                    .findOne()
                    .orElse(new LastRun(null, SourceStatus.NEVER, null, 0, 0, 0));
            OffsetDateTime lastSuccess = h.createQuery("SELECT MAX(finished_at) FROM sync_runs "
                            + "WHERE source = :source AND scope = :all AND outcome = :succeeded")
                    .bind("source", source)
                    .bind("all", SyncRun.ALL)
                    .bind("succeeded", SourceStatus.SUCCEEDED)
                    .mapTo(OffsetDateTime.class)
                    .one();
            // failed polls since the last successful one (all of them when none succeeded)
            Query failed = h.createQuery("SELECT COUNT(*) FROM sync_runs WHERE source = :source AND scope = :all "
                            + "AND outcome = :failed" + (lastSuccess == null ? "" : " AND finished_at > :since"))
                    .bind("source", source)
                    .bind("all", SyncRun.ALL)
                    .bind("failed", SourceStatus.FAILED);
            if (lastSuccess != null) {
                failed.bind("since", lastSuccess);
            }
            int failures = failed.mapTo(Integer.class).one();
            Totals totals = h.createQuery("SELECT COALESCE(SUM(seen), 0) AS seen, COALESCE(SUM(created), 0) AS created, "
                            + "COALESCE(SUM(updated), 0) AS updated FROM sync_runs WHERE source = :source")
                    .bind("source", source)
                    .map(TOTALS)
                    .one();
            return new SourceStatus(source, instant(last.finishedAt()), last.outcome(), last.error(), last.seen(),
                    last.created(), last.updated(), instant(lastSuccess), failures, totals.seen(), totals.created(),
                    totals.updated());
        });
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /** The source's last whole poll. */
    private record LastRun(OffsetDateTime finishedAt, String outcome, String error, long seen, long created,
                           long updated) {
    }

    /** Items of every poll of the source. */
    private record Totals(long seen, long created, long updated) {
    }
}
