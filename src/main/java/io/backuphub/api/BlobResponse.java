package io.backuphub.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;

/**
 * Answers with stored bytes as a stream (never loaded whole): {@code Content-Type}, {@code Content-Length},
 * {@code ETag} (a record's sha256), {@code If-None-Match} (304) and one {@code Range} (206, or 416).
 */
public final class BlobResponse {

    private BlobResponse() {
    }

    public static void send(Exchange exchange, Path file, String contentType, String entityTag) throws IOException {
        long size = Files.size(file);
        String etag = "\"" + entityTag + "\"";
        ApiReply.header(exchange, "ETag", etag);
        ApiReply.header(exchange, "Accept-Ranges", "bytes");
        ApiReply.header(exchange, Exchange.CONTENT_TYPE, contentType);
        String ifNoneMatch = exchange.getMessage().getHeader("If-None-Match", String.class);
        if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || ifNoneMatch.contains(etag))) {
            ApiReply.status(exchange, 304);
            exchange.getMessage().setBody(null);
            return;
        }
        ByteRange range = ByteRange.parse(exchange.getMessage().getHeader("Range", String.class), size);
        long start = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();
        if (range != null) {
            ApiReply.status(exchange, 206);
            ApiReply.header(exchange, "Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + size);
        }
        InputStream bytes = RangeInputStream.open(file, start, length);
        exchange.getMessage().setBody(bytes);
        ApiReply.fixedLength(exchange, length);
    }
}
