package io.backuphub.provider.backupify;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Pattern;

import io.backuphub.fanout.storage.CopySteps;
import io.backuphub.fanout.storage.CopyTask;
import io.backuphub.fanout.storage.CopyVerificationException;
import io.backuphub.fanout.storage.DownloadRefusedException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The upstream's answer to a record blob, made the fan-out's source: the stream as it arrives, with the sha256 the
 * upstream gives for the record (the catalog's copy of it, else the blob's {@code ETag}) declared to the target
 * ({@link CopySteps#DECLARED_SHA256}), which hashes the bytes while it writes them (one pass) and refuses a copy whose
 * bytes do not have it, before the copy gets its final name.
 */
public final class BackupifyBlob {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private BackupifyBlob() {
    }

    public static void opened(Exchange exchange) throws IOException, InvalidPayloadException {
        CopyTask task = exchange.getProperty(CopySteps.COPY, CopyTask.class);
        InputStream body = exchange.getMessage().getMandatoryBody(InputStream.class);
        String etag = sha256(exchange.getMessage().getHeader("ETag", String.class));
        String known = sha256(task.recordSha256());
        if (known != null && etag != null && !known.equals(etag)) {
            body.close();
            throw new CopyVerificationException(task.describe() + ": the upstream now serves sha256 " + etag
                    + ", the catalog holds " + known + " for this record");
        }
        String expected = known != null ? known : etag;
        Long length = exchange.getMessage().getHeader("Content-Length", Long.class);
        exchange.setProperty(CopySteps.DECLARED_SIZE, length != null && length >= 0 ? length : null);
        // the fan-out's target hashes the bytes as it writes them and refuses them unless they have this hash
        exchange.setProperty(CopySteps.DECLARED_SHA256, expected);
    }

    /**
     * The upstream has no bytes for the record (404: another hub that has not stored them yet, or never will): the
     * copy is a dead letter at once, tried again on the fan-out's next runs, not redelivered now.
     */
    public static void notThere(Exchange exchange) {
        CopyTask task = exchange.getProperty(CopySteps.COPY, CopyTask.class);
        throw new DownloadRefusedException(task.describe() + ": the upstream has no bytes for record "
                + task.providerRecordId() + " of its backup " + task.providerBackupId() + " (404)");
    }

    /** A sha256 in lower-case hex from a header or column ({@code "..."} quotes and {@code W/} dropped), or null. */
    static String sha256(String value) {
        if (value == null) {
            return null;
        }
        String bare = value.trim();
        if (bare.startsWith("W/")) {
            bare = bare.substring(2);
        }
        bare = bare.replace("\"", "").toLowerCase(Locale.ROOT);
        return SHA256.matcher(bare).matches() ? bare : null;
    }
}
