package io.backuphub.provider.backupify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.backuphub.provider.Fingerprint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupifyBlobTest {

    private static final String CONTENT = "the bytes of a record";

    @Test
    void bytesWithTheExpectedHashReadThroughToTheEnd() throws IOException {
        try (InputStream in = verified(Fingerprint.sha256(CONTENT))) {
            assertEquals(CONTENT, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void bytesWithAnotherHashFailAtTheEndOfTheStream() {
        IOException failure = assertThrows(IOException.class, () -> {
            try (InputStream in = verified("0".repeat(64))) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        });
        assertTrue(failure.getMessage().contains("sha256 " + Fingerprint.sha256(CONTENT)), failure.getMessage());
    }

    @Test
    void theHashIsReadFromAnEntityTagOrColumnOnlyWhenItIsOne() {
        String hash = Fingerprint.sha256(CONTENT);
        assertEquals(hash, BackupifyBlob.sha256("\"" + hash + "\""));
        assertEquals(hash, BackupifyBlob.sha256("W/\"" + hash.toUpperCase() + "\""));
        assertNull(BackupifyBlob.sha256("\"abc\""));
        assertNull(BackupifyBlob.sha256(null));
    }

    private static InputStream verified(String expected) {
        return new BackupifyBlob.Verified(new ByteArrayInputStream(CONTENT.getBytes(StandardCharsets.UTF_8)), expected,
                "copy 1");
    }
}
