package io.backuphub.ops.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code file:} target is writable when its folder can be created and a file written there and removed. */
public class FileStorageProbe implements StorageProbe {

    private static final String SCHEME = "file:";

    @Override
    public boolean supports(String targetUri) {
        return targetUri.startsWith(SCHEME);
    }

    @Override
    public void probe(String targetUri) throws IOException {
        Path folder = folder(targetUri);
        Files.createDirectories(folder);
        Path probe = Files.createTempFile(folder, ".health-", ".tmp");
        try {
            Files.writeString(probe, "backup hub readiness probe", StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The folder of a Camel file URI: {@code file:dir}, {@code file:/abs/dir}, options after '?' ignored. */
    static Path folder(String targetUri) {
        String path = targetUri.substring(SCHEME.length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.startsWith("//")) {
            path = path.substring(2);
        }
        return Path.of(path);
    }
}
