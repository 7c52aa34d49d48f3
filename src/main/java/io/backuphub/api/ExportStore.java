package io.backuphub.api;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import org.jdbi.v3.core.Jdbi;

/**
 * The catalog writes of exports and their state machine. Each move is one conditional UPDATE, so only an
 * export in an allowed state moves, whichever node asks; what builds the archive calls {@link #start},
 * {@link #complete} and {@link #fail}.
 */
public class ExportStore {

    /** A finished export needs no builder any more: its claim ends with it. */
    private static final String CLAIM_ENDS = ", claimed_by = NULL, claimed_until = NULL";

    private final Jdbi jdbi;
    private final Clock clock;

    public ExportStore(Catalog catalog, Clock clock) {
        this.jdbi = CatalogJdbi.of(catalog);
        this.clock = clock;
    }

    /** A new queued export. */
    public long create(long instanceId, long backupId, String formats, String contentTypes, LocalDate exportDatetime,
                       boolean forceFull, boolean sendConfirmation) {
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO exports (backup_instance_id, backup_id, status, "
                        + "export_formats, content_types, export_datetime, force_full, send_confirmation, created_at) "
                        + "VALUES (:instanceId, :backupId, :status, :formats, :contentTypes, :exportDatetime, :forceFull, "
                        + ":sendConfirmation, :now)")
                .bind("instanceId", instanceId)
                .bind("backupId", backupId)
                .bind("status", ExportStatus.QUEUED.wireName())
                .bind("formats", formats)
                .bind("contentTypes", contentTypes)
                .bindByType("exportDatetime", exportDatetime, LocalDate.class)
                .bind("forceFull", forceFull)
                .bind("sendConfirmation", sendConfirmation)
                .bind("now", now())
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
    }

    /** A completed export's download link, valid until a new time. */
    public boolean reauthorize(long exportId, Instant expiresAt) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE exports SET expires_at = :expiresAt WHERE id = :id "
                        + "AND status = 'completed'")
                .bind("expiresAt", expiresAt.atOffset(ZoneOffset.UTC))
                .bind("id", exportId)
                .execute()) == 1;
    }

    /** queued → running. */
    public boolean start(long exportId) {
        return move(exportId, ExportStatus.RUNNING, "", Map.of());
    }

    /** running → completed, with the archive's key in storage, its size and how long its link is valid. */
    public boolean complete(long exportId, String storageKey, long sizeBytes, Instant expiresAt) {
        return move(exportId, ExportStatus.COMPLETED, ", storage_key = :storageKey, size_bytes = :sizeBytes, "
                        + "expires_at = :expiresAt, completed_at = :now" + CLAIM_ENDS,
                Map.of("storageKey", storageKey, "sizeBytes", sizeBytes, "expiresAt", expiresAt.atOffset(ZoneOffset.UTC),
                        "now", now()));
    }

    /** queued or running → failed, with the reason. */
    public boolean fail(long exportId, String reason) {
        String text = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        return move(exportId, ExportStatus.FAILED, ", error_message = :reason, completed_at = :now" + CLAIM_ENDS,
                Map.of("reason", text, "now", now()));
    }

    private boolean move(long exportId, ExportStatus to, String alsoSet, Map<String, ?> alsoValues) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE exports SET status = :to" + alsoSet
                        + " WHERE id = :id AND status IN (<from>)")
                .bind("to", to.wireName())
                .bind("id", exportId)
                .bindList("from", to.from().stream().map(ExportStatus::wireName).toList())
                .bindMap(alsoValues)
                .execute()) == 1;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
