package io.backuphub.fanout.storage;

/** What a target holds after a verified write: the content's SHA-256 (hex) and size. */
public record StoredCopy(String sha256, long sizeBytes) {
}
