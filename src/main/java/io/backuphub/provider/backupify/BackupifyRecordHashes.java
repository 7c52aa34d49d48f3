package io.backuphub.provider.backupify;

import java.sql.PreparedStatement;
import java.util.List;

import io.backuphub.catalog.Catalog;

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
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE records SET sha256 = ? WHERE backup_id = ? "
                    + "AND endpoint_name = ? AND provider_record_id = ? AND sha256 IS NULL")) {
                for (UpstreamRecord r : hashed) {
                    ps.setString(1, r.sha256());
                    ps.setLong(2, backupId);
                    ps.setString(3, r.catalogRecord().endpoint());
                    ps.setString(4, r.catalogRecord().providerRecordId());
                    ps.addBatch();
                }
                int updated = 0;
                for (int n : ps.executeBatch()) {
                    updated += Math.max(0, n);
                }
                return updated;
            }
        });
    }
}
