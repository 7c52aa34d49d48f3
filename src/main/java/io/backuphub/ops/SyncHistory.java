package io.backuphub.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.backuphub.catalog.Catalog;
import io.backuphub.provider.SyncRun;

/**
 * Reads the catalog's {@code sync_runs}: the shared history every node writes, so a node that does not
 * poll a source still reports that source's truth in health and JMX.
 */
public class SyncHistory {

    private final Catalog catalog;

    public SyncHistory(Catalog catalog) {
        this.catalog = catalog;
    }

    public SourceStatus status(String source) {
        return catalog.inTransaction(c -> {
            Instant lastPollAt = null;
            String lastOutcome = SourceStatus.NEVER;
            String lastError = null;
            long seen = 0;
            long created = 0;
            long updated = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT finished_at, outcome, error, seen, created, updated "
                    + "FROM sync_runs WHERE source = ? AND scope = ? ORDER BY finished_at DESC, id DESC FETCH FIRST 1 ROWS ONLY")) {
                ps.setString(1, source);
                ps.setString(2, SyncRun.ALL);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        lastPollAt = instant(rs, 1);
                        lastOutcome = rs.getString(2);
                        lastError = rs.getString(3);
                        seen = rs.getLong(4);
                        created = rs.getLong(5);
                        updated = rs.getLong(6);
                    }
                }
            }
            Instant lastSuccessAt = lastSuccess(c, source);
            int failures = consecutiveFailures(c, source, lastSuccessAt);
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(seen), 0), COALESCE(SUM(created), 0), "
                    + "COALESCE(SUM(updated), 0) FROM sync_runs WHERE source = ?")) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new SourceStatus(source, lastPollAt, lastOutcome, lastError, seen, created, updated,
                            lastSuccessAt, failures, rs.getLong(1), rs.getLong(2), rs.getLong(3));
                }
            }
        });
    }

    private static Instant lastSuccess(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MAX(finished_at) FROM sync_runs WHERE source = ? AND scope = ? AND outcome = ?")) {
            ps.setString(1, source);
            ps.setString(2, SyncRun.ALL);
            ps.setString(3, SourceStatus.SUCCEEDED);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return instant(rs, 1);
            }
        }
    }

    /** Failed polls since the last successful one (all of them when none succeeded). */
    private static int consecutiveFailures(Connection c, String source, Instant lastSuccessAt) throws SQLException {
        String sql = "SELECT COUNT(*) FROM sync_runs WHERE source = ? AND scope = ? AND outcome = ?"
                + (lastSuccessAt == null ? "" : " AND finished_at > ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, source);
            ps.setString(2, SyncRun.ALL);
            ps.setString(3, SourceStatus.FAILED);
            if (lastSuccessAt != null) {
                ps.setObject(4, lastSuccessAt.atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
