package io.backuphub.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.backuphub.api.ExportFormat;
import io.backuphub.fanout.storage.HashingInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export archives as an operator opens them: with GNU tar, which must read them without a word on stderr. */
class ExportTarTest {

    @TempDir
    Path dir;

    private record Tar(int exit, String out, String err) {
    }

    private static Tar tar(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir.getParent(), "tar-", ".out");
        Path err = Files.createTempFile(workDir.getParent(), "tar-", ".err");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tar did not finish");
        return new Tar(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Two stored records, one under a name longer than a classic tar header holds (a pax path header). */
    private List<ExportEntry> storedRecords() throws IOException {
        Path storage = Files.createDirectories(dir.resolve("storage"));
        String longName = "shop-db/" + "a-record-name-that-is-long-".repeat(5) + "dump.sql.gz";
        byte[] dump = new byte[70_000];
        for (int i = 0; i < dump.length; i++) {
            dump[i] = (byte) (i * 31);
        }
        Path first = Files.write(storage.resolve("first"), dump);
        Path second = Files.writeString(storage.resolve("second"), "{\"files\":[]}\n", StandardCharsets.UTF_8);
        return List.of(new ExportEntry(1, longName, first, dump.length, sha256(first)),
                new ExportEntry(2, "shop-db/manifest.json", second, Files.size(second), sha256(second)));
    }

    private static String sha256(Path file) throws IOException {
        HashingInputStream in = new HashingInputStream(Files.newInputStream(file));
        try (in) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return in.sha256Hex();
    }

    @Test
    void gnuTarListsAndExtractsTarAndTarGzExportsWithoutAWarningAndWithTheRecordsBytes() throws Exception {
        List<ExportEntry> entries = storedRecords();
        for (ExportFormat format : List.of(ExportFormat.TAR, ExportFormat.TAR_GZ)) {
            Path archive = dir.resolve("export." + format.extension());
            ExportArchives.write(format, archive, entries);

            Tar listed = tar(dir, "-tvf", archive.toString());
            assertEquals(0, listed.exit(), listed.err());
            assertEquals("", listed.err(), format + ": GNU tar says nothing on stderr");
            for (ExportEntry entry : entries) {
                assertTrue(listed.out().contains(entry.name()), listed.out());
            }

            Path out = Files.createDirectories(dir.resolve("out-" + format.extension()));
            Tar extracted = tar(out, "-xf", archive.toString());
            assertEquals(0, extracted.exit(), extracted.err());
            assertEquals("", extracted.err(), format + ": GNU tar says nothing on stderr");
            for (ExportEntry entry : entries) {
                assertArrayEquals(Files.readAllBytes(entry.file()), Files.readAllBytes(out.resolve(entry.name())),
                        format + ": " + entry.name());
            }
        }
    }
}
