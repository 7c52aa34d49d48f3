package io.backuphub.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The archive formats of an export: {@code tar}, {@code tar.gz} (also accepted as {@code tgz}) and {@code zip}.
 * An export is built in the first of its formats (the stored list is sorted), and downloaded with its type.
 */
public enum ExportFormat {
    TAR("tar", "application/x-tar"),
    TAR_GZ("tar.gz", "application/gzip"),
    ZIP("zip", "application/zip");

    private static final Map<String, String> ALIASES = Map.of("tgz", "tar.gz");

    private final String wireName;
    private final String contentType;

    ExportFormat(String wireName, String contentType) {
        this.wireName = wireName;
        this.contentType = contentType;
    }

    public String wireName() {
        return wireName;
    }

    public String contentType() {
        return contentType;
    }

    /** The file name extension, without the dot. */
    public String extension() {
        return wireName;
    }

    /** A format by its name or alias (case and blanks ignored). */
    public static Optional<ExportFormat> named(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        String canonical = ALIASES.getOrDefault(key, key);
        return Arrays.stream(values()).filter(f -> f.wireName.equals(canonical)).findFirst();
    }

    /** The format an export with this stored comma list is built and served in: its first. */
    public static ExportFormat of(String formats) {
        String first = formats == null || formats.isBlank() ? "tar" : formats.split(",")[0];
        return named(first).orElseThrow(() -> new IllegalArgumentException("unknown export format " + first));
    }
}
