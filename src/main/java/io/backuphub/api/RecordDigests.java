package io.backuphub.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.util.HexFormat;

import io.backuphub.catalog.Catalog;

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
        String digest = digest(file);
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

    static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
