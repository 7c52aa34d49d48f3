package io.backuphub.fanout.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.backuphub.provider.Fingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileTargetTest {

    private static final String CONTENT = "the bytes of a record";

    @TempDir
    Path root;

    @Test
    void bytesWithTheDeclaredHashAreStoredUnderTheirFinalNameWithThatHash() throws IOException {
        StorageTarget target = StorageTarget.parse("file:" + root);
        String hash = Fingerprint.sha256(CONTENT);

        StoredCopy stored = new FileTarget().store(target, task(), content(), (long) CONTENT.length(), hash);

        assertEquals(new StoredCopy(hash, CONTENT.length()), stored);
        assertEquals(CONTENT, Files.readString(target.file(task().storageKey())));
        assertEquals(List.of("record.bin"), filesUnder(root.resolve("acme/1/2")));
    }

    @Test
    void bytesWithAnotherHashThanTheSourceDeclaredAreRefusedAndLeaveNoFile() throws IOException {
        StorageTarget target = StorageTarget.parse("file:" + root);
        String wrong = "0".repeat(64);

        CopyVerificationException refused = assertThrows(CopyVerificationException.class,
                () -> new FileTarget().store(target, task(), content(), (long) CONTENT.length(), wrong));

        assertTrue(refused.getMessage().contains("sha256 " + wrong), refused.getMessage());
        assertTrue(refused.getMessage().contains("sha256 " + Fingerprint.sha256(CONTENT)), refused.getMessage());
        assertFalse(Files.exists(target.file(task().storageKey())));
        assertEquals(List.of(), filesUnder(root.resolve("acme/1/2")), "no part file is left either");
    }

    @Test
    void bytesShorterThanTheSourceAnnouncedAreRefused() {
        StorageTarget target = StorageTarget.parse("file:" + root);

        CopyVerificationException refused = assertThrows(CopyVerificationException.class,
                () -> new FileTarget().store(target, task(), content(), CONTENT.length() + 1L, null));

        assertEquals("source announced " + (CONTENT.length() + 1) + " bytes but sent " + CONTENT.length(),
                refused.getMessage());
        assertFalse(Files.exists(target.file(task().storageKey())));
    }

    private static ByteArrayInputStream content() {
        return new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8));
    }

    private static CopyTask task() {
        return new CopyTask(7, 5, 2, 1, "acme", "backupify", "b-2", "files", "r-5", "record.bin",
                "application/octet-stream", "file:/x", "acme/1/2/record.bin", null, Map.of(), "saas", 1);
    }

    private static List<String> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
