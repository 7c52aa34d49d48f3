package io.backuphub.fanout.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import io.backuphub.Fsync;

/**
 * Writes a record to a {@code file:} target: streamed to {@code <key>.part-<uuid>} and hashed on the way (one
 * pass: the bytes written are the bytes hashed), forced to disk, its size on disk checked, its hash checked
 * against the one the source declared (if it did), and only then moved atomically to its final name, so a crash
 * never leaves a half file under the final name. The folders of a batch of copies are forced once before the copies
 * are marked stored ({@link #forceFolders}), so the renames are durable too.
 */
public class FileTarget {

    private static final String PART = ".part-";
    /** The copy buffer: large reads from the network, few writes; small records get a small one. */
    private static final int MAX_BUFFER = 256 * 1024;
    private static final int MIN_BUFFER = 8 * 1024;

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
        return store(target, task, source, declaredSize, null);
    }

    /**
     * Streams the source into the target; {@code declaredSize} and {@code declaredSha256} (each may be null) are
     * what the source announced, and the copy is refused unless what it sent has them.
     */
    public StoredCopy store(StorageTarget target, CopyTask task, InputStream source, Long declaredSize,
                            String declaredSha256) throws IOException {
        Path file = target.file(task.storageKey());
        Path folder = file.getParent();
        Files.createDirectories(folder);
        removeLeftovers(folder, file.getFileName().toString());
        Path part = folder.resolve(file.getFileName() + PART + UUID.randomUUID());
        try {
            StoredCopy streamed;
            try (HashingInputStream in = new HashingInputStream(source);
                 FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[bufferSize(declaredSize)];
                ByteBuffer wrapped = ByteBuffer.wrap(buffer);
                for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
                    wrapped.clear().limit(n);
                    while (wrapped.hasRemaining()) {
                        channel.write(wrapped);
                    }
                }
                channel.force(false);
                streamed = new StoredCopy(in.sha256Hex(), in.count());
                // the disk holds what was written: its size, after the force; no second read of the bytes
                if (channel.size() != streamed.sizeBytes()) {
                    throw new CopyVerificationException("written file has " + channel.size() + " bytes, the source sent "
                            + streamed.sizeBytes());
                }
            }
            verify(streamed, declaredSize, declaredSha256);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return streamed;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * Forces folders to disk, each once: the renames of the copies written into them survive a crash. Called for a
     * batch of copies before they are marked stored, so a folder of many copies costs one force, not one per copy.
     */
    public void forceFolders(Collection<Path> folders) throws IOException {
        for (Path folder : folders) {
            Fsync.folder(folder);
        }
    }

    /** What was read must be what the source announced: its size and its SHA-256, where it told them. */
    static void verify(StoredCopy streamed, Long declaredSize, String declaredSha256) {
        if (declaredSize != null && declaredSize != streamed.sizeBytes()) {
            throw new CopyVerificationException("source announced " + declaredSize + " bytes but sent "
                    + streamed.sizeBytes());
        }
        if (declaredSha256 != null && !declaredSha256.equalsIgnoreCase(streamed.sha256())) {
            throw new CopyVerificationException("source announced sha256 " + declaredSha256 + " but its bytes have sha256 "
                    + streamed.sha256());
        }
    }

    private static int bufferSize(Long declaredSize) {
        if (declaredSize == null) {
            return MAX_BUFFER;
        }
        return (int) Math.max(MIN_BUFFER, Math.min(MAX_BUFFER, declaredSize + 1));
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
