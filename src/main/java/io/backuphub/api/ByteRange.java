package io.backuphub.api;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP byte range ({@code Range: bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) of a blob of known size.
 * Several ranges in one request are answered with the whole blob (RFC 9110 allows ignoring Range).
 */
public record ByteRange(long start, long end) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    public long length() {
        return end - start + 1;
    }

    /** The range asked for, null for the whole blob; 416 when it cannot be satisfied. */
    public static ByteRange parse(String header, long size) {
        if (header == null || header.isBlank() || header.contains(",")) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.trim().replace(" ", ""));
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw unsatisfiable(header, size);
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (start >= size || end < start) {
                throw unsatisfiable(header, size);
            }
            return new ByteRange(start, end);
        } catch (NumberFormatException e) {
            throw unsatisfiable(header, size);
        }
    }

    private static ApiException unsatisfiable(String header, long size) {
        return new ApiException(416, "range_not_satisfiable", "Range '" + header + "' is outside the blob's "
                + size + " bytes", Map.of("Content-Range", "bytes */" + size));
    }
}
