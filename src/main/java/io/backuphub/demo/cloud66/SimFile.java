package io.backuphub.demo.cloud66;

import java.util.Objects;

/**
 * One file of a Cloud66 backup: {@code id} is the segment id the API uses (e.g. "tar", "sql.gz"),
 * {@code name} the object name in the bucket, {@code sizeBytes} how many bytes a download yields.
 */
public record SimFile(String id, String name, long sizeBytes) {
    public SimFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (id.isEmpty() || id.contains("/") || name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("file id and name must be non-empty and contain no '/'");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0");
        }
    }
}
