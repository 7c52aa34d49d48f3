package io.backuphub.fanout.storage;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One storage target from {@code hub.storage.targets}: {@code file:<path>} (local or mounted disk) or
 * {@code s3://bucket/prefix}. {@link #uri()} is the name the copies table and {@code copies[]} use.
 */
public record StorageTarget(String uri, Kind kind, Path root, String bucket, String prefix) {

    public enum Kind {
        FILE, S3;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Parses one target URI; anything else is a configuration error with the accepted forms in it. */
    public static StorageTarget parse(String text) {
        String uri = text.trim();
        if (uri.startsWith("file:")) {
            String path = uri.substring("file:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            if (path.isBlank()) {
                throw invalid(uri);
            }
            return new StorageTarget(uri, Kind.FILE, Path.of(path).toAbsolutePath().normalize(), null, null);
        }
        if (uri.startsWith("s3://")) {
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : trimSlashes(rest.substring(slash + 1));
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("hub.storage.targets: '" + uri + "' has no valid S3 bucket name");
            }
            return new StorageTarget(uri, Kind.S3, null, bucket, prefix);
        }
        throw invalid(uri);
    }

    /** Where a record key lives in this target: a path under the root, or an object key under the prefix. */
    public String objectKey(String recordKey) {
        return prefix == null || prefix.isEmpty() ? recordKey : prefix + "/" + recordKey;
    }

    /** The file of a record key, never outside the root whatever the key says. */
    public Path file(String recordKey) {
        Path file = root.resolve(recordKey).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("storage key '" + recordKey + "' leaves the target folder");
        }
        return file;
    }

    private static String trimSlashes(String s) {
        String t = s;
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static IllegalArgumentException invalid(String uri) {
        return new IllegalArgumentException("hub.storage.targets: '" + uri
                + "' is not a storage target (expected file:/path or s3://bucket/prefix)");
    }
}
