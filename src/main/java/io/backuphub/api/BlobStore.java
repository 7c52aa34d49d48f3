package io.backuphub.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where the API reads stored bytes: the first {@code file:} target of {@code hub.storage.targets}, laid out by
 * {@link io.backuphub.fanout.storage.StorageLayout}.
 */
public class BlobStore {

    private final Path root;

    public BlobStore(String targets) {
        this.root = Arrays.stream(targets.split(","))
                .map(String::trim)
                .filter(t -> t.startsWith("file:"))
                .findFirst()
                .map(t -> Path.of(t.substring("file:".length())).toAbsolutePath().normalize())
                .orElse(null);
    }

    /** Whether there is a local file storage at all. */
    public boolean hasRoot() {
        return root != null;
    }

    /**
     * Where a key's file is or will be, whether or not it exists yet (for writers such as the export builder);
     * empty without a local storage or for a key that would leave it.
     */
    public Optional<Path> resolve(String key) {
        if (root == null) {
            return Optional.empty();
        }
        Path file = root.resolve(key).normalize();
        return file.startsWith(root) ? Optional.of(file) : Optional.empty();
    }

    /** The stored file of a key, if the storage has it. */
    public Optional<Path> locate(String key) {
        if (root == null) {
            return Optional.empty();
        }
        Path file = root.resolve(key).normalize();
        // keys come from StorageLayout and are safe; this keeps it so whatever builds them
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(file);
    }
}
