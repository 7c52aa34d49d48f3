package io.backuphub.demo.backupify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import io.backuphub.demo.cloud66.SyntheticContent;

/** An upstream record whose bytes are synthetic (the same on every read); its sha256 is computed once. */
public record SimulatedRecord(long id, long instanceId, long backupId, String endpoint, String name, String contentType,
                              long sizeBytes, Instant createdAt, String sha256) {

    SimulatedRecord(long id, long instanceId, long backupId, String endpoint, String name, String contentType,
                    long sizeBytes, Instant createdAt) {
        this(id, instanceId, backupId, endpoint, name, contentType, sizeBytes, createdAt,
                digest(backupId, Long.toString(id), sizeBytes));
    }

    /** The record's bytes, as a stream. */
    public InputStream open() {
        return SyntheticContent.open(backupId, Long.toString(id), sizeBytes);
    }

    private static String digest(long backupId, String id, long size) {
        try (InputStream in = new DigestInputStream(SyntheticContent.open(backupId, id, size),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
