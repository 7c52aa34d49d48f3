package io.backuphub.provider.backupify;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Pattern;

import io.backuphub.fanout.storage.CopySteps;
import io.backuphub.fanout.storage.CopyTask;
import io.backuphub.fanout.storage.CopyVerificationException;
import io.backuphub.fanout.storage.DownloadRefusedException;
import io.backuphub.fanout.storage.HashingInputStream;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;

/**
 * The upstream's answer to a record blob, made the fan-out's source: a stream checked, as it is read, against the
 * sha256 the upstream gives for the record (the catalog's copy of it, else the blob's {@code ETag}); the copy fails at
 * the end of a stream whose bytes do not have it, before the fan-out gives the copy its final name.
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
        exchange.getMessage().setBody(expected == null ? body : new Verified(body, expected, task.describe()));
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

    /**
     * Fails at the end of the stream when the bytes read do not have the expected sha256; the hashing is the
     * fan-out's own {@link HashingInputStream} (skips hashed, no mark/reset).
     */
    static final class Verified extends FilterInputStream {
        private final HashingInputStream hashed;
        private final String expected;
        private final String what;
        private boolean checked;

        Verified(InputStream in, String expected, String what) {
            this(new HashingInputStream(in), expected, what);
        }

        private Verified(HashingInputStream hashed, String expected, String what) {
            super(hashed);
            this.hashed = hashed;
            this.expected = expected;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                check();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0) {
                check();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return in.skip(n);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void check() throws IOException {
            if (checked) {
                return;
            }
            checked = true;
            String actual = hashed.sha256Hex();
            if (!actual.equals(expected)) {
                throw new IOException(what + ": the upstream's bytes have sha256 " + actual + ", the upstream gives "
                        + expected);
            }
        }
    }
}
