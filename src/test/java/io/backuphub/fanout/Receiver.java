package io.backuphub.fanout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** A local HTTP endpoint that receives webhook or Slack posts, and can refuse the next few with 500. */
public final class Receiver implements AutoCloseable {

    /** One accepted post: its body, its signature header and its event ids header. */
    public record Post(byte[] body, String signature, String eventIds) {
    }

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    public Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(500, -1);
            } else {
                posts.add(new Post(body, exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"),
                        exchange.getRequestHeaders().getFirst("X-Hub-Event-Id")));
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void refuseNext(int n) {
        refusals.set(n);
    }

    public int refused() {
        return refused.get();
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
