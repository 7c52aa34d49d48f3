package io.backuphub.demo.cloud66;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Deterministic pseudo-random file bodies, generated on the fly so that files of several GiB
 * never sit in memory. Byte {@code i} depends only on (backup id, file id, i), which allows
 * range requests and lets tests compute the expected bytes independently of the server.
 */
public final class SyntheticContent {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final int CHUNK = 64 * 1024;

    private SyntheticContent() {
    }

    /** The content of file {@code fileId} of backup {@code backupId}, {@code size} bytes long. */
    public static InputStream open(long backupId, String fileId, long size) {
        return new Stream(seed(backupId, fileId), size);
    }

    static long seed(long backupId, String fileId) {
        long h = mix(backupId);
        for (byte b : fileId.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return h;
    }

    /** Writes bytes {@code [from, toExclusive)} of the file with this seed. */
    static void write(OutputStream out, long seed, long from, long toExclusive) throws IOException {
        byte[] buf = new byte[CHUNK];
        for (long pos = from; pos < toExclusive; ) {
            int n = (int) Math.min(CHUNK, toExclusive - pos);
            fill(seed, pos, buf, 0, n);
            out.write(buf, 0, n);
            pos += n;
        }
    }

    private static void fill(long seed, long offset, byte[] buf, int off, int len) {
        long block = -1;
        long value = 0;
        for (int j = 0; j < len; j++) {
            long pos = offset + j;
            long b = pos >>> 3;
            if (b != block) {
                block = b;
                value = mix(seed + b * GOLDEN);
            }
            buf[off + j] = (byte) (value >>> ((pos & 7) << 3));
        }
    }

    /** SplitMix64 finaliser: cheap and well distributed. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final class Stream extends InputStream {
        private final long seed;
        private final long size;
        private long pos;

        Stream(long seed, long size) {
            this.seed = seed;
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            fill(seed, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, size - pos));
            pos += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - pos);
        }
    }
}
