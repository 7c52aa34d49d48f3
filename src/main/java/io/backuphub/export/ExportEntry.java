package io.backuphub.export;

import java.nio.file.Path;

/** One record in an archive: its name there, the stored file it is read from, its size and its hash (may be null). */
public record ExportEntry(long recordId, String name, Path file, long sizeBytes, String sha256) {
}
