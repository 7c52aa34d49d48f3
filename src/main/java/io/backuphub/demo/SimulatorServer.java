package io.backuphub.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Shared plumbing for the provider simulators: a loopback {@link HttpServer}, JSON helpers,
 * per-path request counters and fault injection.
 *
 * <p>Path regexes (for {@link #failNext}, {@link #failAlways} and {@link #requestCount}) are
 * searched with {@link java.util.regex.Matcher#find()} in the request path without the query
 * string, after {@link #normalizePath} (e.g. {@code /api/3/stacks/abc/backups}); anchor them with
 * {@code ^}/{@code $} when a prefix would match too much.
 */
public abstract class SimulatorServer implements AutoCloseable {

    /** Shared, thread-safe once configured. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    private static final int THREADS = 16;

    private final String name;
    private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
    private final java.util.Queue<Arrival> arrivals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Insertion order decides which rule a request consumes first. */
    private final List<FaultRule> faultRules = new ArrayList<>();
    /** Consulted, under the {@link #faultRules} lock, when no rule above matched. */
    private final List<RandomRule> randomRules = new ArrayList<>();
    private final Map<String, Integer> injected = new HashMap<>();
    private volatile HttpServer server;
    private volatile ExecutorService executor;

    protected SimulatorServer(String name) {
        this.name = name;
    }

    // ---------------------------------------------------------------- lifecycle

    static {
        // The JDK server writes headers and body separately; with Nagle on, each response waits ~40 ms
        // for the client's delayed ACK. Real provider APIs answer without that stall.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Starts on an ephemeral port. Subclasses narrow the return type. */
    public SimulatorServer start() {
        return start(0);
    }

    /** Starts on {@code port} (0 = ephemeral) on 127.0.0.1. */
    public synchronized SimulatorServer start(int port) {
        if (server != null) {
            throw new IllegalStateException(name + " simulator already started");
        }
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            AtomicInteger threadNo = new AtomicInteger();
            executor = Executors.newFixedThreadPool(THREADS, r -> {
                Thread t = new Thread(r, name + "-sim-" + threadNo.incrementAndGet());
                t.setDaemon(true); // a forgotten simulator must not keep the demo JVM alive
                return t;
            });
            s.setExecutor(executor);
            s.createContext("/", this::dispatch);
            s.start();
            server = s;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " simulator", e);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    public int port() {
        HttpServer s = server;
        if (s == null) {
            throw new IllegalStateException(name + " simulator not started");
        }
        return s.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} without any API base path. */
    public String rootUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The URL clients are configured with: root URL plus the provider's API base path. */
    public String baseUrl() {
        return rootUrl() + basePath();
    }

    /** The provider's API base path, e.g. {@code /api/3}. */
    protected abstract String basePath();

    // ---------------------------------------------------------------- request counting

    /** Number of requests (any method) whose path matches {@code pathRegex}. */
    public int requestCount(String pathRegex) {
        return countMatching(null, pathRegex);
    }

    /** Number of requests with this method whose path matches {@code pathRegex}. */
    public int requestCount(String method, String pathRegex) {
        return countMatching(method.toUpperCase(), pathRegex);
    }

    public void resetRequestCounts() {
        requestCounts.clear();
        arrivals.clear();
    }

    /** When each request whose path matches {@code pathRegex} arrived (ms since the epoch), oldest first. */
    public List<Long> requestTimes(String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return arrivals.stream().filter(a -> p.matcher(a.path()).find()).map(Arrival::millis).toList();
    }

    private record Arrival(String path, long millis) {
    }

    private int countMatching(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        long total = 0;
        for (Map.Entry<String, LongAdder> e : requestCounts.entrySet()) {
            int space = e.getKey().indexOf(' ');
            String m = e.getKey().substring(0, space);
            String path = e.getKey().substring(space + 1);
            if ((method == null || method.equals(m)) && p.matcher(path).find()) {
                total += e.getValue().sum();
            }
        }
        return Math.toIntExact(total);
    }

    // ---------------------------------------------------------------- fault injection

    /** The next {@code times} requests matching {@code pathRegex} get {@code fault}, after earlier rules are used up. */
    public void failNext(String pathRegex, int times, Fault fault) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        addRule(new FaultRule(Pattern.compile(pathRegex), times, fault));
    }

    /** Every request matching {@code pathRegex} gets {@code fault} until {@link #clearFaults()}. */
    public void failAlways(String pathRegex, Fault fault) {
        addRule(new FaultRule(Pattern.compile(pathRegex), FaultRule.ALWAYS, fault));
    }

    /**
     * Every request matching {@code pathRegex} that no other rule took gets, with probability {@code rate}, one of
     * {@code faults} (each as likely), drawn from a {@link Random} seeded with {@code seed}: the same requests in
     * the same order get the same faults. Until {@link #clearFaults()}; {@link #injectedFaults()} counts them.
     */
    public void failRandomly(String pathRegex, double rate, long seed, List<Fault> faults) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be between 0 and 1");
        }
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("no faults to choose from");
        }
        synchronized (faultRules) {
            randomRules.add(new RandomRule(Pattern.compile(pathRegex), rate, new Random(seed), List.copyOf(faults)));
        }
    }

    /**
     * How many times each fault was played since the start or the last clear, by fault: a record as its
     * {@code toString()} ({@code Status[code=503]}), the others by name ({@code CutBody}).
     */
    public Map<String, Integer> injectedFaults() {
        synchronized (faultRules) {
            return new TreeMap<>(injected);
        }
    }

    public void clearFaults() {
        synchronized (faultRules) {
            faultRules.clear();
            randomRules.clear();
            injected.clear();
        }
    }

    private void addRule(FaultRule rule) {
        synchronized (faultRules) {
            faultRules.add(rule);
        }
    }

    /** Takes one use of the first rule matching {@code path}, else draws from the random rules; or null. */
    private Fault consumeFault(String path) {
        synchronized (faultRules) {
            Fault fault = null;
            for (Iterator<FaultRule> it = faultRules.iterator(); it.hasNext() && fault == null; ) {
                FaultRule rule = it.next();
                if (rule.pattern.matcher(path).find()) {
                    if (rule.remaining != FaultRule.ALWAYS && --rule.remaining == 0) {
                        it.remove();
                    }
                    fault = rule.fault;
                }
            }
            for (Iterator<RandomRule> it = randomRules.iterator(); it.hasNext() && fault == null; ) {
                RandomRule rule = it.next();
                if (rule.pattern.matcher(path).find() && rule.random.nextDouble() < rule.rate) {
                    fault = rule.faults.get(rule.random.nextInt(rule.faults.size()));
                }
            }
            if (fault != null) {
                injected.merge(fault instanceof Enum<?> e ? e.getDeclaringClass().getSimpleName() : fault.toString(),
                        1, Integer::sum);
            }
            return fault;
        }
    }

    private record RandomRule(Pattern pattern, double rate, Random random, List<Fault> faults) {
    }

    private static final class FaultRule {
        static final int ALWAYS = -1;
        final Pattern pattern;
        int remaining;
        final Fault fault;

        FaultRule(Pattern pattern, int remaining, Fault fault) {
            this.pattern = pattern;
            this.remaining = remaining;
            this.fault = fault;
        }
    }

    // ---------------------------------------------------------------- dispatch

    private void dispatch(HttpExchange ex) {
        try {
            String path = normalizePath(ex.getRequestURI().getPath());
            requestCounts.computeIfAbsent(ex.getRequestMethod().toUpperCase() + " " + path, k -> new LongAdder())
                    .increment();
            arrivals.add(new Arrival(path, System.currentTimeMillis()));
            try {
                if (preHandle(ex, path)) {
                    return;
                }
                Fault fault = consumeFault(path);
                if (fault instanceof Fault.Delay d) {
                    Thread.sleep(d.delay().toMillis());
                } else if (fault == Fault.ConnectionReset.INSTANCE) {
                    return; // closed below without a response: the JDK server drops the connection
                } else if (fault == Fault.CutBody.INSTANCE) {
                    cutBodyInHalf(ex);
                } else if (fault == Fault.ExpireSession.INSTANCE) {
                    expireSessionsNow();
                } else if (fault != null) {
                    playFault(ex, fault);
                    return;
                }
                handle(ex, path);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away mid-response: nothing left to tell it
            } catch (BadRequestException e) {
                if (ex.getResponseCode() == -1) {
                    sendError(ex, 400, e.getMessage());
                }
            } catch (RuntimeException e) {
                if (ex.getResponseCode() == -1) {
                    sendError(ex, 500, "Simulator error: " + e);
                }
            }
        } catch (IOException ignored) {
            // failed while writing the error itself: the connection is gone
        } finally {
            ex.close();
        }
    }

    /** Thrown by handlers for unusable request input; answered with the provider's 400. */
    protected static final class BadRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadRequestException(String message) {
            super(message);
        }
    }

    /**
     * Lets the normal answer start, but only the first half of its body (by the Content-Length the handler sent)
     * reaches the client; then the write fails, and closing the exchange short of its length drops the connection.
     */
    private static void cutBodyInHalf(HttpExchange ex) {
        OutputStream original = ex.getResponseBody();
        ex.setStreams(null, new FilterOutputStream(original) {
            private long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                String declared = ex.getResponseHeaders().getFirst("Content-length");
                long half = declared == null ? 0 : Long.parseLong(declared.trim()) / 2;
                int allowed = (int) Math.max(0, Math.min(len, half - written));
                if (allowed > 0) {
                    original.write(b, off, allowed);
                    written += allowed;
                }
                if (allowed < len) {
                    original.flush();
                    throw new IOException("injected fault: body cut off after " + written + " bytes");
                }
            }
        });
    }

    /** {@link Fault#expireSession()}: forgets the provider's sessions, where it has any. */
    protected void expireSessionsNow() {
    }

    private void playFault(HttpExchange ex, Fault fault) throws IOException {
        if (fault instanceof Fault.TooManyRequests t) {
            if (t.retryAfterSeconds() != null) {
                ex.getResponseHeaders().set("Retry-After", String.valueOf(t.retryAfterSeconds()));
            }
            sendError(ex, 429, "Too many requests");
        } else if (fault instanceof Fault.Status s) {
            sendError(ex, s.code(), "Injected fault: HTTP " + s.code());
        } else if (fault instanceof Fault.Throttle t) {
            sendThrottled(ex, t.retryAfterSeconds());
        } else if (fault == Fault.MalformedJson.INSTANCE) {
            sendRawJson(ex, 200, truncatedJsonSample());
        }
    }

    /** Turns the raw request path into the one used for routing, counting and fault matching. */
    protected String normalizePath(String rawPath) {
        return rawPath;
    }

    /** Runs before faults and routing; returns true when it already answered (e.g. a real rate limit). */
    protected boolean preHandle(HttpExchange ex, String path) throws IOException {
        return false;
    }

    /** Answers one request; {@code path} is the normalized path. */
    protected abstract void handle(HttpExchange ex, String path) throws IOException;

    /** Writes an error in the provider's format. */
    protected abstract void sendError(HttpExchange ex, int status, String message) throws IOException;

    /** Writes the provider's rate-limit answer. */
    protected abstract void sendThrottled(HttpExchange ex, int retryAfterSeconds) throws IOException;

    /** The start of a plausible body, cut off so that it does not parse. */
    protected abstract String truncatedJsonSample();

    // ---------------------------------------------------------------- helpers for subclasses

    protected static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
        try {
            sendRawJson(ex, status, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void sendRawJson(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    protected static void sendEmpty(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
    }

    protected static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Decoded query parameters, repeated names kept in order. */
    protected static Map<String, List<String>> queryParams(HttpExchange ex) {
        return parseForm(ex.getRequestURI().getRawQuery());
    }

    /** Parses {@code a=1&b=2} (query strings and form bodies). */
    protected static Map<String, List<String>> parseForm(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    protected static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Parses JSON text, for raw entries that tests inject; rejects text that is not valid JSON. */
    protected static JsonNode parseJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null) {
                throw new IllegalArgumentException("empty JSON text");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a request body as JSON; bad JSON is the client's fault (400). */
    protected static JsonNode readJsonBody(HttpExchange ex) throws IOException {
        String body = readBody(ex);
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new BadRequestException("empty request body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequestException("request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("malformed URL encoding: " + s);
        }
    }
}
