package io.backuphub.api;

import java.io.IOException;
import java.nio.file.Path;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import io.backuphub.fanout.storage.HashingInputStream;

/** The sha256 of a record's stored bytes: the catalog's when it has one, else computed streaming and stored. */
public class RecordDigests {

    private final Catalog catalog;

    public RecordDigests(Catalog catalog) {
        this.catalog = catalog;
    }

    public String sha256(StoredRecord stored, Path file) throws IOException {
        if (stored.record().sha256() != null) {
            return stored.record().sha256();
        }
        String digest = HashingInputStream.sha256Hex(file);
        CatalogJdbi.of(catalog).useHandle(h -> h.createUpdate(
                        "UPDATE records SET sha256 = :digest WHERE id = :id AND sha256 IS NULL")
                .bind("digest", digest)
                .bind("id", stored.record().id())
                .execute());
        return digest;
    }
}
