package io.backuphub.provider.backupify;

import java.util.List;

import io.backuphub.catalog.Catalog;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Keeps the sha256 the upstream gives for each record with the catalog's record, so the API answers it and the
 * fan-out checks the copied bytes against it. A hash is only set where the catalog has none: a stored copy's hash is
 * never overwritten.
 */
final class BackupifyRecordHashes {

    private BackupifyRecordHashes() {
    }

    static int keep(Catalog catalog, long backupId, List<UpstreamRecord> records) {
        List<UpstreamRecord> hashed = records == null ? List.of()
                : records.stream().filter(r -> r.sha256() != null).toList();
        if (hashed.isEmpty()) {
            return 0;
        }
        return catalog.jdbi().inTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("UPDATE records SET sha256 = :sha256 WHERE backup_id = :backupId "
                    + "AND endpoint_name = :endpoint AND provider_record_id = :providerRecordId AND sha256 IS NULL");
            for (UpstreamRecord r : hashed) {
                batch.bind("sha256", r.sha256())
                        .bind("backupId", backupId)
                        .bind("endpoint", r.catalogRecord().endpoint())
                        .bind("providerRecordId", r.catalogRecord().providerRecordId())
                        .add();
            }
            int updated = 0;
            for (int n : batch.execute()) {
                updated += Math.max(0, n); // a driver may answer SUCCESS_NO_INFO (-2) for a row
            }
            return updated;
        });
    }
}
