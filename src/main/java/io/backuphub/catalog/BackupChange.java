package io.backuphub.catalog;

import java.util.Map;

/**
 * One row of the body of {@code direct:backups-changed}: a backup that entered the catalog or changed there, with
 * what the routes of routes/*.yaml filter and log on ({@code ${body[0].status}}, or a row's fields in a split).
 *
 * @param change           {@code new} or {@code updated}
 * @param source           the connection the backup was polled from
 * @param backupId         the catalog's (and the v1 API's) id of the backup
 * @param instanceId       the catalog's id of its instance
 * @param status           the contract's status ({@code completed}, {@code failed}, ... {@code unknown})
 * @param instanceSource   the instance's provider keys (such as {@code db_type})
 * @param warnings         how many warnings the provider gave
 * @param unknownValues    how many values the hub does not know were new to the catalog (0 when none or reported
 *                         before)
 */
public record BackupChange(String change, String source, String providerBackupId, long backupId, long instanceId,
                           String status, Map<String, String> instanceSource, int warnings, int unknownValues) {

    static BackupChange of(IngestOutcome outcome, CatalogBackup backup) {
        return new BackupChange(outcome.change().name().toLowerCase(java.util.Locale.ROOT), outcome.source(),
                outcome.providerBackupId(), outcome.backupId(), outcome.instanceId(), outcome.status().wireName(),
                backup.instanceSource(), backup.warnings().size(), outcome.newUnknownValues().size());
    }
}
