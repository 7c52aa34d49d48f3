package io.backuphub.provider.cloud66;

import java.util.List;

import io.backuphub.fanout.storage.DownloadRefusedException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Cloud66DownloadTest {

    private final Cloud66Download download = new Cloud66Download(List.of("*.s3.amazonaws.com", "127.0.0.1"));

    @Test
    void aSignedS3UrlIsFollowedWithItsDoubleEncodedSignatureUndone() {
        assertEquals("https://c66-managed-backup.s3.amazonaws.com/2aad/backups/test_db_11.tar?AWSAccessKeyId=AKIA"
                        + "&Expires=1409603570&Signature=C2au7Jq%2F1m6u%3D",
                download.check("https://c66-managed-backup.s3.amazonaws.com/2aad/backups/test_db_11.tar?AWSAccessKeyId=AKIA"
                        + "&Expires=1409603570&Signature=C2au7Jq%252F1m6u%253D").toString());
    }

    @Test
    void aPercentSignInTheObjectNameIsKept() {
        assertEquals("http://127.0.0.1:9/storage/a%25b.tar?Signature=x%2F",
                download.check("http://127.0.0.1:9/storage/a%25b.tar?Signature=x%252F").toString());
    }

    @Test
    void anotherHostOrSchemeIsRefusedWithoutItsSignature() {
        DownloadRefusedException host = assertThrows(DownloadRefusedException.class,
                () -> download.check("https://evil.example.com/x.tar?Signature=secret"));
        assertEquals("public_url host 'evil.example.com' is not in hub.cloud66.download-hosts", host.getMessage());
        assertThrows(DownloadRefusedException.class, () -> download.check("https://s3.amazonaws.com.evil.example/x"));
        DownloadRefusedException scheme = assertThrows(DownloadRefusedException.class,
                () -> download.check("file:///etc/passwd?Signature=secret"));
        assertFalse(scheme.getMessage().contains("secret"));
        assertThrows(DownloadRefusedException.class, () -> download.check(""));
    }
}
