package io.backuphub.fanout.storage;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageLayoutTest {

    @Test
    void aRecordLivesUnderItsCustomerInstanceAndBackup() {
        assertEquals("acme/7/42/shop_db_3.tar", StorageLayout.recordKey("acme", 7, 42, "shop_db_3.tar"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "..", ".", "/abs/path", "a\\b", "evil\u0000name", "line\nbreak",
            "\u202Eexe.txt", ".hidden", "", "C:\\windows"})
    void aHostileNameStaysInsideItsBackupFolder(String hostile) {
        Path root = Path.of("/storage");
        Path backupDir = root.resolve("acme/7/42");
        Path resolved = root.resolve(StorageLayout.recordKey("acme", 7, 42, hostile)).normalize();
        assertEquals(backupDir, resolved.getParent(), hostile);
        String segment = resolved.getFileName().toString();
        assertFalse(segment.startsWith("."), segment);
        assertTrue(segment.chars().noneMatch(Character::isISOControl), segment);
    }

    @Test
    void aVeryLongNameIsCut() {
        assertEquals(200, StorageLayout.safeSegment("x".repeat(5000)).length());
    }
}
