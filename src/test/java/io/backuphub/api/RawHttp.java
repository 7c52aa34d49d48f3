package io.backuphub.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP/1.1 over a plain socket, for requests java.net.http refuses to send (NULs, overlong lines, bodies on GET,
 * odd methods, raw dot segments): the request goes out byte for byte, one connection each, and the answer is read
 * by its framing (Content-Length, chunked, or up to the close).
 */
final class RawHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "raw-http-writer");
        thread.setDaemon(true);
        return thread;
    });

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    static RawHttp of(ApiFixture f) {
        String base = f.baseUrl();
        return new RawHttp(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)));
    }

    /** What came back: status, headers (lower-case names, last one wins), body, and the body as JSON if it is. */
    record Answer(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return body.isEmpty() ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        String errorCode() {
            JsonNode json = json();
            return json == null ? null : json.path("error").path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** A request built from its parts: request line, headers (each "Name: value"), body (may be null). */
    Answer send(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        boolean framed = headers.keySet().stream().anyMatch(n -> n.equalsIgnoreCase("Content-Length")
                || n.equalsIgnoreCase("Transfer-Encoding"));
        if (body != null && !framed) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        return exchange(method, head.toString().getBytes(StandardCharsets.UTF_8), body);
    }

    /** A request exactly as given (request line, headers and body). */
    Answer raw(String method, byte[] request) {
        return exchange(method, request, null);
    }

    private Answer exchange(String method, byte[] head, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            // written beside the reading: the server may answer (413) without reading the whole body, and a
            // write it does not read would block; closing the socket ends the write
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    out.write(head);
                    if (body != null) {
                        out.write(body);
                    }
                    out.flush();
                } catch (IOException e) {
                    // the answer is read anyway
                }
            }, WRITERS);
            try {
                return read(socket.getInputStream(), "HEAD".equals(method));
            } finally {
                socket.close();
                writing.join();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " failed: " + e, e);
        }
    }

    private static Answer read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the connection closed without an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || status == 204 || status == 304 || status / 100 == 1) {
            return new Answer(status, headers, "");
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (String size = line(in); size != null; size = line(in)) {
                int length = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (length == 0) {
                    break;
                }
                body.write(in.readNBytes(length));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            body.write(in.readAllBytes());
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
