package io.backuphub.catalog;

/** A record of a backup (a file, a manifest), under one of its instance's endpoints. */
public record CatalogRecord(
        String endpoint,
        String endpointDescription,
        String providerRecordId,
        String name,
        String contentType,
        Long sizeBytes) {
}
