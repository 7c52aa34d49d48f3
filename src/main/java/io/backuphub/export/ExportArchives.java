package io.backuphub.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.backuphub.Fsync;
import io.backuphub.api.BlobStore;
import io.backuphub.api.ExportFormat;
import io.backuphub.fanout.storage.HashingInputStream;
import org.apache.camel.ExchangeProperty;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds an export's archive ({@code exportArchives} in the registry): the records {@link ExportRecords} chose,
 * streamed one by one from storage into a tar, tar.gz or zip (never a whole file in memory), written to
 * {@code <name>.part-<uuid>}, forced to disk and only then renamed, so a crash never leaves a half archive
 * under the final name; leftovers of an earlier attempt are removed first.
 */
public class ExportArchives {

    /** Under the local storage's root; no record key starts with a dot (StorageLayout), so none collides. */
    static final String FOLDER = ".exports";
    private static final String PART = ".part-";

    private final ExportRecords records;
    private final BlobStore blobs;

    public ExportArchives(ExportRecords records, BlobStore blobs) {
        this.records = records;
        this.blobs = blobs;
    }

    /** The key of an export's archive in the local storage. */
    public static String key(ExportJob job) {
        return FOLDER + "/" + job.instanceId() + "/export-" + job.id() + "." + job.format().extension();
    }

    public BuiltArchive build(@ExchangeProperty("hubExport") ExportJob job) throws IOException {
        List<ExportEntry> entries = records.entries(job);
        String key = key(job);
        Path file = blobs.resolve(key).orElseThrow(() ->
                new ExportFailure("exports need a file: storage target in hub.storage.targets"));
        Files.createDirectories(file.getParent());
        removeLeftovers(file);
        Path part = file.resolveSibling(file.getFileName() + PART + UUID.randomUUID());
        try {
            write(job.format(), part, entries);
            Fsync.file(part);
            long size = Files.size(part);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new BuiltArchive(key, size);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    static void write(ExportFormat format, Path part, List<ExportEntry> entries) throws IOException {
        if (format == ExportFormat.ZIP) {
            // a seekable file: sizes and Zip64 fields are written in place, no data descriptors needed
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(part, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                addAll(zip, entries);
            }
            return;
        }
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(part, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 64 * 1024);
             OutputStream compressed = format == ExportFormat.TAR_GZ ? new GzipCompressorOutputStream(file) : file;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, "UTF-8")) {
            // names longer than 100 bytes and files over 8 GiB, as POSIX (pax) headers
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (ExportEntry entry : entries) {
                tar.putArchiveEntry(tarEntry(entry));
                copy(tar, entry);
            }
            tar.finish();
        }
    }

    /**
     * A plain file entry: name, size, mode and whole-second modification time, nothing else. An entry made from
     * the file itself would carry its creation and access times as pax headers ({@code LIBARCHIVE.creationtime}),
     * which GNU tar warns about on every entry.
     */
    private static TarArchiveEntry tarEntry(ExportEntry entry) throws IOException {
        TarArchiveEntry archived = new TarArchiveEntry(entry.name());
        archived.setSize(Files.size(entry.file()));
        archived.setMode(TarArchiveEntry.DEFAULT_FILE_MODE);
        archived.setModTime(FileTime.from(Files.getLastModifiedTime(entry.file()).toInstant().truncatedTo(ChronoUnit.SECONDS)));
        return archived;
    }

    private static <E extends ArchiveEntry> void addAll(ArchiveOutputStream<E> archive, List<ExportEntry> entries)
            throws IOException {
        for (ExportEntry entry : entries) {
            E archived = archive.createArchiveEntry(entry.file(), entry.name());
            archive.putArchiveEntry(archived);
            copy(archive, entry);
        }
        archive.finish();
    }

    /** Streams one stored file into the archive's current entry, closes the entry and checks what was read. */
    private static void copy(ArchiveOutputStream<?> archive, ExportEntry entry) throws IOException {
        HashingInputStream in = new HashingInputStream(Files.newInputStream(entry.file()));
        try (in) {
            in.transferTo(archive);
        }
        archive.closeArchiveEntry();
        verify(entry, in);
    }

    /** The stored bytes must be the record's: the size read at planning time and the hash the copy verified. */
    private static void verify(ExportEntry entry, HashingInputStream read) {
        if (read.count() != entry.sizeBytes()) {
            throw new ExportFailure("record " + entry.recordId() + " changed in storage while it was archived");
        }
        if (entry.sha256() != null && !entry.sha256().equalsIgnoreCase(read.sha256Hex())) {
            throw new ExportFailure("the stored bytes of record " + entry.recordId() + " do not match its SHA-256");
        }
    }

    private static void removeLeftovers(Path file) throws IOException {
        String glob = file.getFileName().toString().replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1") + PART + "*";
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(file.getParent(), glob)) {
            for (Path leftover : parts) {
                Files.deleteIfExists(leftover);
            }
        }
    }
}
