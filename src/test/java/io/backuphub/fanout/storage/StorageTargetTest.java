package io.backuphub.fanout.storage;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StorageTargetTest {

    @Test
    void fileAndS3TargetsAreParsedFromTheCommaList() {
        StorageTargets targets = StorageTargets.parse(" file:/mnt/backups , s3://acme-backups/hub/daily/ ,,file:/mnt/backups");
        assertEquals(2, targets.all().size());
        StorageTarget file = targets.all().get(0);
        assertEquals(StorageTarget.Kind.FILE, file.kind());
        assertEquals(Path.of("/mnt/backups/c/1/2/x.tar"), file.file("c/1/2/x.tar"));
        StorageTarget s3 = targets.get("s3://acme-backups/hub/daily/");
        assertEquals("acme-backups", s3.bucket());
        assertEquals("hub/daily/c/1/2/x.tar", s3.objectKey("c/1/2/x.tar"));
        assertEquals("c/1/2/x.tar", StorageTarget.parse("s3://acme-backups").objectKey("c/1/2/x.tar"));
    }

    @Test
    void anythingElseIsAClearConfigurationError() {
        assertEquals("hub.storage.targets: 'ftp://host/x' is not a storage target (expected file:/path or s3://bucket/prefix)",
                assertThrows(IllegalArgumentException.class, () -> StorageTarget.parse("ftp://host/x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> StorageTarget.parse("s3://Bad_Bucket/x"));
        assertThrows(IllegalStateException.class, () -> StorageTargets.parse("file:/a").get("file:/b"));
    }

    @Test
    void aKeyNeverLeavesTheTargetFolder() {
        StorageTarget file = StorageTarget.parse("file:/mnt/backups");
        assertThrows(IllegalArgumentException.class, () -> file.file("../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> file.file("/etc/passwd"));
    }
}
