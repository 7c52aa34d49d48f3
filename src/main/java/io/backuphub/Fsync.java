package io.backuphub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Puts what was written on disk before what follows relies on it: a file's bytes, or a folder's entries (a name
 * created, renamed into it or removed). Used wherever the hub writes a file a crash must not lose: stored copies,
 * export archives, the catalog's copy before a migration.
 */
public final class Fsync {

    private Fsync() {
    }

    /** A file's bytes and size (opened for writing: some systems flush only a handle that may write). */
    public static void file(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** A folder's entries, where the file system lets a folder be opened; elsewhere as durable as it makes them. */
    public static void folder(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems (and Windows) cannot open a folder
            if (!Files.isDirectory(folder)) {
                throw e;
            }
        }
    }
}
