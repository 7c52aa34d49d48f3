package io.backuphub.api;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.backuphub.catalog.BackupChange;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import org.apache.camel.Header;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes the lines of an instance's log (bean {@code instanceLog}): what happened to its backups, called from
 * routes/backup-events.yaml and from whatever copies backups. Its syncs are logged by {@code sync_runs}.
 */
public class InstanceLog {

    public static final String BEAN = "instanceLog";
    private static final int MAX_MESSAGE = 2000;

    private final Catalog catalog;
    private final Clock clock;

    public InstanceLog(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** One line for a backup that entered the catalog or changed there (the headers a caller sets as direct:backup-changed did). */
    public void backupChanged(@Header("hubInstanceId") Long instanceId, @Header("hubBackupId") Long backupId,
                              @Header("hubChange") String change, @Header("hubStatus") String status,
                              @Header("hubSource") String source, @Header("hubProviderBackupId") String providerBackupId) {
        if (instanceId == null) {
            return;
        }
        String level = "failed".equals(status) ? "warn" : "info";
        append(instanceId, level, "backup", backupId, "backup " + backupId + " (" + source + " " + providerBackupId + ") "
                + change + ", status " + status);
    }

    /** One line per backup of a page of changes (the body of direct:backups-changed), written in one batch. */
    public void backupsChanged(List<BackupChange> changes) {
        if (changes == null || changes.isEmpty()) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        CatalogJdbi.of(catalog).useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO instance_logs (backup_instance_id, logged_at, level, "
                    + "kind, backup_id, message) VALUES (:instanceId, :now, :level, 'backup', :backupId, :message)");
            for (BackupChange c : changes) {
                batch.bind("instanceId", c.instanceId())
                        .bind("now", now)
                        .bind("level", "failed".equals(c.status()) ? "warn" : "info")
                        .bind("backupId", c.backupId())
                        .bind("message", "backup " + c.backupId() + " (" + c.source() + " " + c.providerBackupId() + ") "
                                + c.change() + ", status " + c.status())
                        .add();
            }
            batch.execute();
        });
    }

    /** Appends a line; {@code kind} says what it is about (backup, copy, ...). */
    public void append(long instanceId, String level, String kind, Long backupId, String message) {
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
        CatalogJdbi.of(catalog).useHandle(h -> h.createUpdate("INSERT INTO instance_logs (backup_instance_id, "
                        + "logged_at, level, kind, backup_id, message) "
                        + "VALUES (:instanceId, :now, :level, :kind, :backupId, :message)")
                .bind("instanceId", instanceId)
                .bind("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .bind("level", level)
                .bind("kind", kind)
                .bindByType("backupId", backupId, Long.class)
                .bind("message", text)
                .execute());
    }
}
