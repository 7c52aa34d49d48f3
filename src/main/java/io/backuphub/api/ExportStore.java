package io.backuphub.api;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.stream.Collectors;

import io.backuphub.catalog.Catalog;

/**
 * The catalog writes of exports and their state machine. Each move is one conditional UPDATE, so only an
 * export in an allowed state moves, whichever node asks; what builds the archive calls {@link #start},
 * {@link #complete} and {@link #fail}.
 */
public class ExportStore {

    /** A finished export needs no builder any more: its claim ends with it. */
    private static final String CLAIM_ENDS = ", claimed_by = NULL, claimed_until = NULL";

    private final Catalog catalog;
    private final Clock clock;

    public ExportStore(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** A new queued export. */
    public long create(long instanceId, long backupId, String formats, String contentTypes, LocalDate exportDatetime,
                       boolean forceFull, boolean sendConfirmation) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO exports (backup_instance_id, backup_id, status, "
                    + "export_formats, content_types, export_datetime, force_full, send_confirmation, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setLong(1, instanceId);
                ps.setLong(2, backupId);
                ps.setString(3, ExportStatus.QUEUED.wireName());
                ps.setString(4, formats);
                ps.setString(5, contentTypes);
                if (exportDatetime == null) {
                    ps.setNull(6, Types.DATE);
                } else {
                    ps.setObject(6, exportDatetime);
                }
                ps.setBoolean(7, forceFull);
                ps.setBoolean(8, sendConfirmation);
                ps.setObject(9, now());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /** A completed export's download link, valid until a new time. */
    public boolean reauthorize(long exportId, Instant expiresAt) {
        return update("UPDATE exports SET expires_at = ? WHERE id = ? AND status = 'completed'",
                expiresAt.atOffset(ZoneOffset.UTC), exportId);
    }

    /** queued → running. */
    public boolean start(long exportId) {
        return move(exportId, ExportStatus.RUNNING, "");
    }

    /** running → completed, with the archive's key in storage, its size and how long its link is valid. */
    public boolean complete(long exportId, String storageKey, long sizeBytes, Instant expiresAt) {
        return move(exportId, ExportStatus.COMPLETED, ", storage_key = ?, size_bytes = ?, expires_at = ?, completed_at = ?"
                        + CLAIM_ENDS,
                storageKey, sizeBytes, expiresAt.atOffset(ZoneOffset.UTC), now());
    }

    /** queued or running → failed, with the reason. */
    public boolean fail(long exportId, String reason) {
        String text = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        return move(exportId, ExportStatus.FAILED, ", error_message = ?, completed_at = ?" + CLAIM_ENDS, text, now());
    }

    private boolean move(long exportId, ExportStatus to, String alsoSet, Object... alsoParams) {
        String from = to.from().stream().map(s -> "'" + s.wireName() + "'").collect(Collectors.joining(", "));
        Object[] params = new Object[alsoParams.length + 2];
        params[0] = to.wireName();
        System.arraycopy(alsoParams, 0, params, 1, alsoParams.length);
        params[params.length - 1] = exportId;
        return update("UPDATE exports SET status = ?" + alsoSet + " WHERE id = ? AND status IN (" + from + ")", params);
    }

    private boolean update(String sql, Object... params) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                return ps.executeUpdate() == 1;
            }
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
