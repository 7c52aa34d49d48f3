package io.backuphub.catalog;

/**
 * A record of a backup (a file, a manifest), under one of its instance's endpoints.
 *
 * @param content the record's content when the provider sent it with the listing (a manifest: the backup's details
 *                as the provider reports them), kept in the catalog so a copy reads it from there; null for a record
 *                whose content the provider serves on its own (a file)
 */
public record CatalogRecord(
        String endpoint,
        String endpointDescription,
        String providerRecordId,
        String name,
        String contentType,
        Long sizeBytes,
        String content) {

    /** A record whose content the provider serves on its own. */
    public CatalogRecord(String endpoint, String endpointDescription, String providerRecordId, String name,
                         String contentType, Long sizeBytes) {
        this(endpoint, endpointDescription, providerRecordId, name, contentType, sizeBytes, null);
    }
}
