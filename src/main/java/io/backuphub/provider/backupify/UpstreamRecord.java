package io.backuphub.provider.backupify;

import io.backuphub.catalog.CatalogRecord;

/**
 * A record as the upstream lists it: the upstream backup it belongs to, the sha256 the upstream gives for its bytes
 * (null while the upstream has not stored them), and the record as the catalog keeps it.
 */
public record UpstreamRecord(String backupId, String sha256, CatalogRecord catalogRecord) {
}
