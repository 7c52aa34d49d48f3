package io.backuphub.fanout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.backuphub.TestHub;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.demo.cloud66.SimFile;

/** What the fan-out tests share: running the fan-out now, and the hashes copies must have. */
final class Fanout {

    private Fanout() {
    }

    /** One run of the fan-out on the caller's thread, as the schedule does it. */
    static void run(TestHub hub) {
        hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
    }

    /** The SHA-256 of what the Cloud66 simulator serves for this file. */
    static String cloud66Hash(Cloud66Simulator cloud66, long backupId, String fileId) {
        SimFile file = cloud66.backup(backupId).files().stream().filter(f -> f.id().equals(fileId)).findFirst()
                .orElseThrow();
        return sha256(Cloud66Simulator.fileContent(backupId, fileId, file.sizeBytes()));
    }

    static String sha256(InputStream in) {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path file) {
        try {
            return sha256(Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        return sha256(new java.io.ByteArrayInputStream(bytes));
    }
}
