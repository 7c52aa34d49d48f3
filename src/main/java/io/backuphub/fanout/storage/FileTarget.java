package io.backuphub.fanout.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes a record to a {@code file:} target: streamed to {@code <key>.part-<uuid>} and hashed on the way,
 * forced to disk, read back to check size and SHA-256, and only then moved atomically to its final name,
 * so a crash never leaves a half file under the final name.
 */
public class FileTarget {

    private static final String PART = ".part-";

    /**
     * The copy this target already holds, when the record's hash is known and the final file has it
     * (a crash after the move but before the catalog knew): then nothing is written again.
     */
    public Optional<StoredCopy> present(StorageTarget target, CopyTask task) throws IOException {
        Path file = target.file(task.storageKey());
        if (task.recordSha256() == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        StoredCopy existing = new StoredCopy(HashingInputStream.sha256Hex(file), Files.size(file));
        return existing.sha256().equals(task.recordSha256()) ? Optional.of(existing) : Optional.empty();
    }

    /** Streams the source into the target; {@code declaredSize} (may be null) is what the source announced. */
    public StoredCopy store(StorageTarget target, CopyTask task, InputStream source, Long declaredSize)
            throws IOException {
        Path file = target.file(task.storageKey());
        Path folder = file.getParent();
        Files.createDirectories(folder);
        removeLeftovers(folder, file.getFileName().toString());
        Path part = folder.resolve(file.getFileName() + PART + UUID.randomUUID());
        try {
            HashingInputStream in = new HashingInputStream(source);
            try (in; FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                in.transferTo(out);
                channel.force(true);
            }
            StoredCopy streamed = new StoredCopy(in.sha256Hex(), in.count());
            if (declaredSize != null && declaredSize != streamed.sizeBytes()) {
                throw new CopyVerificationException("source announced " + declaredSize + " bytes but sent "
                        + streamed.sizeBytes());
            }
            StoredCopy written = new StoredCopy(HashingInputStream.sha256Hex(part), Files.size(part));
            if (!written.equals(streamed)) {
                throw new CopyVerificationException("written file differs from the source: " + written.sizeBytes()
                        + " bytes sha256 " + written.sha256() + ", read " + streamed.sizeBytes() + " bytes sha256 "
                        + streamed.sha256());
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return written;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Part files of earlier attempts at the same name (a crash, a kill): this copy owns the name now. */
    private static void removeLeftovers(Path folder, String name) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(folder, glob(name) + PART + "*")) {
            for (Path leftover : parts) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static String glob(String name) {
        return name.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }
}
