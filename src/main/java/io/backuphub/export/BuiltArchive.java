package io.backuphub.export;

/** An archive under its final name: its key in storage and its size. */
public record BuiltArchive(String storageKey, long sizeBytes) {
}
