package io.backuphub.api;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;

import io.backuphub.catalog.Catalog;
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
        catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE records SET sha256 = ? WHERE id = ? AND sha256 IS NULL")) {
                ps.setString(1, digest);
                ps.setLong(2, stored.record().id());
                return ps.executeUpdate();
            }
        });
        return digest;
    }
}
