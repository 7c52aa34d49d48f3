package io.backuphub.catalog;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * One provider backup, already normalised to the catalog's vocabulary, ready to be upserted.
 *
 * @param records        the backup's records, or {@code null} when they were not fetched this time
 *                       (an update of a known backup leaves its records as they are)
 * @param providerStatus the provider's own status, raw ({@code "0"}, {@code "SUCCESS"}), or null when it sent none
 * @param unknownValues  the values of this item the hub does not know, each as {@code field value}
 *                       ({@code "backup_status 7"}); empty when it knows them all
 * @param source         the connection (provider account) it was polled from; the provider id for the connection of a
 *                       legacy {@code hub.<provider>.*} block
 */
public record CatalogBackup(
        String provider,
        String customer,
        String definitionId,
        String definitionName,
        String instanceKey,
        String instanceName,
        Map<String, String> instanceSource,
        String providerBackupId,
        BackupStatus status,
        BackupType type,
        OffsetDateTime startedAt,
        OffsetDateTime completedAt,
        Long sizeBytes,
        List<String> warnings,
        String statusDetail,
        String fingerprint,
        List<CatalogRecord> records,
        String providerStatus,
        List<String> unknownValues,
        String source) {

    public CatalogBackup {
        unknownValues = unknownValues == null ? List.of() : List.copyOf(unknownValues);
        source = source == null ? provider : source;
    }

    /** A backup of the connection named like its provider. */
    public CatalogBackup(String provider, String customer, String definitionId, String definitionName,
                         String instanceKey, String instanceName, Map<String, String> instanceSource,
                         String providerBackupId, BackupStatus status, BackupType type, OffsetDateTime startedAt,
                         OffsetDateTime completedAt, Long sizeBytes, List<String> warnings, String statusDetail,
                         String fingerprint, List<CatalogRecord> records, String providerStatus,
                         List<String> unknownValues) {
        this(provider, customer, definitionId, definitionName, instanceKey, instanceName, instanceSource,
                providerBackupId, status, type, startedAt, completedAt, sizeBytes, warnings, statusDetail, fingerprint,
                records, providerStatus, unknownValues, provider);
    }

    public CatalogBackup withRecords(List<CatalogRecord> newRecords) {
        return new CatalogBackup(provider, customer, definitionId, definitionName, instanceKey, instanceName,
                instanceSource, providerBackupId, status, type, startedAt, completedAt, sizeBytes, warnings,
                statusDetail, fingerprint, newRecords, providerStatus, unknownValues, source);
    }
}
