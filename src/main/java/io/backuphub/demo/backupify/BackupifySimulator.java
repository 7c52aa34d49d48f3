package io.backuphub.demo.backupify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.backuphub.demo.SimulatorServer;

/**
 * A Backupify v1 API on loopback, the read side a hub polls: bearer tokens (static ones, and OAuth client credentials
 * at {@code POST /oauth/token} that expire), backup_instances, their backups, endpoints, records and record blobs,
 * every list paged with {@code page}/{@code per_page}, {@code Link} and {@code X-Total-Count}, errors as
 * {@code {"error":{"code":...,"message":...}}}, the rate limit as 429 with {@code Retry-After}. Blobs are synthetic
 * bytes served as a stream with their sha256 as {@code ETag}; records list that sha256.
 *
 * <p>{@link #baseUrl()} is {@code http://127.0.0.1:<port>/v1}; the token endpoint is {@link #tokenUrl()}.
 */
public final class BackupifySimulator extends SimulatorServer {

    private static final String BASE = "/v1";
    private static final String TOKEN_PATH = "/oauth/token";
    private static final int DEFAULT_PER_PAGE = 25;
    private static final Pattern INSTANCE = Pattern.compile("/backup_instances/(\\d+)");
    private static final Pattern BACKUPS = Pattern.compile("/backup_instances/(\\d+)/backups");
    private static final Pattern BACKUP = Pattern.compile("/backup_instances/(\\d+)/backups/(\\d+)");
    private static final Pattern ENDPOINTS = Pattern.compile("/backup_instances/(\\d+)/endpoints");
    private static final Pattern RECORDS = Pattern.compile("/backup_instances/(\\d+)/endpoints/([^/]+)/records");
    private static final Pattern RECORD = Pattern.compile("/backup_instances/(\\d+)/endpoints/([^/]+)/records/(\\d+)");
    private static final Pattern BLOB = Pattern.compile("/backup_instances/(\\d+)/endpoints/([^/]+)/records/(\\d+)/blob");

    private final Set<String> staticTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    /** Issued OAuth tokens and when each expires. */
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private volatile long tokenTtlSeconds = 3600;

    private final Object lock = new Object();
    private final Map<Long, SimulatedInstance> instances = new LinkedHashMap<>();
    private final Map<Long, SimulatedBackup> backups = new LinkedHashMap<>();
    private final Map<Long, SimulatedRecord> records = new LinkedHashMap<>();

    /** A simulator that accepts the static bearer {@code token} (null: only OAuth clients). */
    public BackupifySimulator(String token) {
        this(token, Clock.systemUTC());
    }

    public BackupifySimulator(String token, Clock clock) {
        super("backupify");
        if (token != null) {
            staticTokens.add(token);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public BackupifySimulator start() {
        return start(0);
    }

    @Override
    public BackupifySimulator start(int port) {
        super.start(port);
        return this;
    }

    @Override
    protected String basePath() {
        return BASE;
    }

    /** Where clients exchange their credentials for a token. */
    public String tokenUrl() {
        return rootUrl() + TOKEN_PATH;
    }

    // ---------------------------------------------------------------- set-up

    /** Accepts this OAuth client (client credentials grant). */
    public BackupifySimulator addClient(String clientId, String clientSecret) {
        clients.put(clientId, clientSecret);
        return this;
    }

    /** How long an OAuth token lives, in seconds. */
    public void setTokenTtlSeconds(long seconds) {
        this.tokenTtlSeconds = seconds;
    }

    /** Every issued OAuth token is refused from now on, as after their expiry. */
    public void expireTokensNow() {
        issued.clear();
    }

    @Override
    protected void expireSessionsNow() {
        expireTokensNow();
    }

    /** How many OAuth tokens were issued so far. */
    public int tokensIssued() {
        return requestCount("POST", "^" + TOKEN_PATH + "$");
    }

    public SimulatedInstance addInstance(long id, String definitionId, String name, String provider) {
        synchronized (lock) {
            SimulatedInstance instance = new SimulatedInstance(id, definitionId, name, provider, Instant.now(clock));
            if (instances.putIfAbsent(id, instance) != null) {
                throw new IllegalArgumentException("backup_instance " + id + " exists");
            }
            return instance;
        }
    }

    public SimulatedBackup addBackup(long instanceId, long id, String status, String type, Instant startedAt,
                                     Instant completedAt, Long sizeBytes) {
        synchronized (lock) {
            if (!instances.containsKey(instanceId)) {
                throw new IllegalArgumentException("no backup_instance " + instanceId);
            }
            SimulatedBackup backup = new SimulatedBackup(id, instanceId, status, type, startedAt, completedAt, sizeBytes);
            if (backups.putIfAbsent(id, backup) != null) {
                throw new IllegalArgumentException("backup " + id + " exists");
            }
            return backup;
        }
    }

    /** A record of {@code endpoint} for this backup whose bytes are {@code size} synthetic bytes. */
    public SimulatedRecord addRecord(long backupId, String endpoint, long id, String name, String contentType, long size) {
        synchronized (lock) {
            SimulatedBackup backup = backups.get(backupId);
            if (backup == null) {
                throw new IllegalArgumentException("no backup " + backupId);
            }
            SimulatedRecord record = new SimulatedRecord(id, backup.instanceId(), backupId, endpoint, name, contentType,
                    size, Instant.now(clock));
            if (records.putIfAbsent(id, record) != null) {
                throw new IllegalArgumentException("record " + id + " exists");
            }
            return record;
        }
    }

    public SimulatedBackup backup(long id) {
        synchronized (lock) {
            return Objects.requireNonNull(backups.get(id), () -> "no backup " + id);
        }
    }

    public List<SimulatedBackup> backups() {
        synchronized (lock) {
            return List.copyOf(backups.values());
        }
    }

    public List<SimulatedRecord> records() {
        synchronized (lock) {
            return List.copyOf(records.values());
        }
    }

    // ---------------------------------------------------------------- requests

    @Override
    protected void handle(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        if (path.equals(TOKEN_PATH)) {
            if (!method.equals("POST")) {
                sendError(ex, 405, "method_not_allowed", "POST only");
            } else {
                token(ex);
            }
            return;
        }
        if (!path.startsWith(BASE + "/")) {
            sendError(ex, 404, "not_found", "no such path: " + path);
            return;
        }
        if (!authorized(ex)) {
            sendError(ex, 401, "unauthorized", "a valid bearer token is required");
            return;
        }
        if (!method.equals("GET")) {
            sendError(ex, 405, "method_not_allowed", "this simulator serves the read side of the API");
            return;
        }
        String route = path.substring(BASE.length());
        Matcher m;
        if (route.equals("/ping")) {
            ObjectNode pong = JSON.createObjectNode().put("status", "ok");
            sendJson(ex, 200, pong);
        } else if (route.equals("/backup_instances")) {
            sendPage(ex, instancesJson(i -> true));
        } else if ((m = INSTANCE.matcher(route)).matches()) {
            long id = Long.parseLong(m.group(1));
            sendOne(ex, one(instancesJson(i -> i.id() == id)), "backup_instance " + id);
        } else if ((m = BACKUPS.matcher(route)).matches()) {
            long instance = Long.parseLong(m.group(1));
            if (instanceExists(ex, instance)) {
                sendPage(ex, backupsJson(b -> b.instanceId() == instance));
            }
        } else if ((m = BACKUP.matcher(route)).matches()) {
            long instance = Long.parseLong(m.group(1));
            long id = Long.parseLong(m.group(2));
            if (instanceExists(ex, instance)) {
                sendOne(ex, one(backupsJson(b -> b.instanceId() == instance && b.id() == id)), "backup " + id);
            }
        } else if ((m = ENDPOINTS.matcher(route)).matches()) {
            long instance = Long.parseLong(m.group(1));
            if (instanceExists(ex, instance)) {
                sendPage(ex, endpointsJson(instance));
            }
        } else if ((m = RECORDS.matcher(route)).matches()) {
            long instance = Long.parseLong(m.group(1));
            String endpoint = m.group(2);
            if (instanceExists(ex, instance)) {
                sendPage(ex, recordsJson(r -> r.instanceId() == instance && r.endpoint().equals(endpoint)));
            }
        } else if ((m = RECORD.matcher(route)).matches()) {
            SimulatedRecord record = record(m);
            sendOne(ex, record == null ? null : recordJson(record), "record " + m.group(3));
        } else if ((m = BLOB.matcher(route)).matches()) {
            SimulatedRecord record = record(m);
            if (record == null) {
                sendError(ex, 404, "not_found", "record " + m.group(3) + " not found");
            } else {
                sendBlob(ex, record);
            }
        } else {
            sendError(ex, 404, "not_found", "no such path: " + path);
        }
    }

    private void token(HttpExchange ex) throws IOException {
        String contentType = Objects.requireNonNullElse(ex.getRequestHeaders().getFirst("Content-Type"), "");
        String body = readBody(ex);
        Map<String, String> fields = new LinkedHashMap<>();
        if (contentType.contains("json")) {
            JSON.readTree(body.isBlank() ? "{}" : body).fields()
                    .forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
        } else {
            parseForm(body).forEach((k, v) -> fields.put(k, v.get(0)));
        }
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            if (colon > 0) {
                fields.putIfAbsent("client_id", pair.substring(0, colon));
                fields.putIfAbsent("client_secret", pair.substring(colon + 1));
            }
        }
        if (!"client_credentials".equals(fields.get("grant_type"))) {
            sendError(ex, 400, "unsupported_grant_type", "grant_type must be client_credentials");
            return;
        }
        String secret = clients.get(Objects.requireNonNullElse(fields.get("client_id"), ""));
        if (secret == null || !secret.equals(fields.get("client_secret"))) {
            sendError(ex, 401, "invalid_client", "unknown client or wrong secret");
            return;
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = "sim-" + HexFormat.of().formatHex(bytes);
        long ttl = tokenTtlSeconds;
        issued.put(token, Instant.now(clock).plusSeconds(ttl));
        sendJson(ex, 200, JSON.createObjectNode().put("access_token", token).put("token_type", "bearer")
                .put("expires_in", ttl));
    }

    private boolean authorized(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : ex.getRequestHeaders().getFirst("Access-Token");
        if (token == null) {
            return false;
        }
        if (staticTokens.contains(token)) {
            return true;
        }
        Instant expires = issued.get(token);
        return expires != null && Instant.now(clock).isBefore(expires);
    }

    private boolean instanceExists(HttpExchange ex, long id) throws IOException {
        synchronized (lock) {
            if (instances.containsKey(id)) {
                return true;
            }
        }
        sendError(ex, 404, "not_found", "backup_instance " + id + " not found");
        return false;
    }

    private SimulatedRecord record(Matcher m) {
        long instance = Long.parseLong(m.group(1));
        long id = Long.parseLong(m.group(3));
        synchronized (lock) {
            SimulatedRecord record = records.get(id);
            return record != null && record.instanceId() == instance && record.endpoint().equals(m.group(2)) ? record : null;
        }
    }

    private List<JsonNode> instancesJson(Predicate<SimulatedInstance> filter) {
        synchronized (lock) {
            List<JsonNode> items = new ArrayList<>();
            for (SimulatedInstance i : instances.values()) {
                if (!filter.test(i)) {
                    continue;
                }
                Instant last = backups.values().stream().filter(b -> b.instanceId() == i.id() && b.completedAt() != null
                                && ("completed".equals(b.status()) || "partial".equals(b.status())))
                        .map(SimulatedBackup::completedAt).max(Instant::compareTo).orElse(null);
                ObjectNode json = JSON.createObjectNode().put("id", i.id()).put("customer_id", 1)
                        .put("backup_definition_id", i.definitionId()).put("name", i.name())
                        .put("provider", i.provider()).put("status", "active")
                        .put("last_backup_at", last == null ? null : last.toString())
                        .put("created_at", i.createdAt().toString()).put("updated_at", i.createdAt().toString());
                json.putObject("source").put("simulated_instance", Long.toString(i.id()));
                items.add(json);
            }
            return items;
        }
    }

    private List<JsonNode> backupsJson(Predicate<SimulatedBackup> filter) {
        synchronized (lock) {
            // newest first, as the hub lists them
            return backups.values().stream().filter(filter)
                    .sorted((a, b) -> b.startedAt().compareTo(a.startedAt()))
                    .map(BackupifySimulator::backupJson).toList();
        }
    }

    private static JsonNode backupJson(SimulatedBackup b) {
        ObjectNode json = JSON.createObjectNode().put("id", b.id()).put("backup_instance_id", b.instanceId())
                .put("provider_backup_id", "sim-" + b.id()).put("status", b.status()).put("type", b.type())
                .put("started_at", b.startedAt().toString())
                .put("completed_at", b.completedAt() == null ? null : b.completedAt().toString());
        if (b.sizeBytes() != null) {
            json.put("size_bytes", b.sizeBytes());
        }
        ArrayNode warnings = json.putArray("warnings");
        b.warnings().forEach(warnings::add);
        json.putArray("copies");
        json.put("provider_status", b.status());
        return json;
    }

    private List<JsonNode> endpointsJson(long instance) {
        synchronized (lock) {
            Map<String, Long> counts = new LinkedHashMap<>();
            records.values().stream().filter(r -> r.instanceId() == instance)
                    .forEach(r -> counts.merge(r.endpoint(), 1L, Long::sum));
            List<JsonNode> items = new ArrayList<>();
            counts.forEach((name, count) -> items.add(JSON.createObjectNode().put("name", name)
                    .put("backup_instance_id", instance).put("description", "Records of " + name)
                    .put("record_count", count)));
            return items;
        }
    }

    private List<JsonNode> recordsJson(Predicate<SimulatedRecord> filter) {
        synchronized (lock) {
            return records.values().stream().filter(filter).map(BackupifySimulator::recordJson).toList();
        }
    }

    private static JsonNode recordJson(SimulatedRecord r) {
        return JSON.createObjectNode().put("id", r.id()).put("endpoint_name", r.endpoint()).put("backup_id", r.backupId())
                .put("name", r.name()).put("content_type", r.contentType()).put("size_bytes", r.sizeBytes())
                .put("sha256", r.sha256()).put("created_at", r.createdAt().toString());
    }

    private static JsonNode one(List<JsonNode> items) {
        return items.isEmpty() ? null : items.get(0);
    }

    private void sendOne(HttpExchange ex, JsonNode item, String what) throws IOException {
        if (item == null) {
            sendError(ex, 404, "not_found", what + " not found");
        } else {
            sendJson(ex, 200, item);
        }
    }

    /** One page of a list, as the v1 API pages: {@code page} from 1, {@code per_page} 1 to 100. */
    private void sendPage(HttpExchange ex, List<JsonNode> all) throws IOException {
        Map<String, List<String>> query = queryParams(ex);
        int page = intParam(query, "page", 1, Integer.MAX_VALUE, 1);
        int perPage = intParam(query, "per_page", 1, 100, DEFAULT_PER_PAGE);
        long last = Math.max(1, (all.size() + perPage - 1) / perPage);
        String base = rootUrl() + ex.getRequestURI().getPath();
        List<String> links = new ArrayList<>();
        links.add(link(base, 1, perPage, "first"));
        if (page > 1) {
            links.add(link(base, Math.min(page - 1, last), perPage, "prev"));
        }
        if (page < last) {
            links.add(link(base, page + 1, perPage, "next"));
        }
        links.add(link(base, last, perPage, "last"));
        ex.getResponseHeaders().set("Link", String.join(", ", links));
        ex.getResponseHeaders().set("X-Total-Count", Integer.toString(all.size()));
        ArrayNode items = JSON.createArrayNode();
        long from = (long) (page - 1) * perPage;
        for (long i = from; i < Math.min(all.size(), from + perPage); i++) {
            items.add(all.get((int) i));
        }
        sendJson(ex, 200, items);
    }

    private static String link(String base, long page, int perPage, String rel) {
        return "<" + base + "?page=" + page + "&per_page=" + perPage + ">; rel=\"" + rel + "\"";
    }

    private static int intParam(Map<String, List<String>> query, String name, int min, int max, int fallback) {
        String value = first(query, name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException(name + " must be a whole number from " + min + " to " + max);
    }

    /** The record's bytes, streamed, with its sha256 as the ETag. */
    private static void sendBlob(HttpExchange ex, SimulatedRecord record) throws IOException {
        ex.getResponseHeaders().set("Content-Type", record.contentType());
        ex.getResponseHeaders().set("ETag", "\"" + record.sha256() + "\"");
        ex.sendResponseHeaders(200, record.sizeBytes() == 0 ? -1 : record.sizeBytes());
        try (InputStream in = record.open(); OutputStream out = ex.getResponseBody()) {
            in.transferTo(out);
        }
    }

    @Override
    protected void sendError(HttpExchange ex, int status, String message) throws IOException {
        sendError(ex, status, status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "bad_request", message);
    }

    private static void sendError(HttpExchange ex, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        sendJson(ex, status, body);
    }

    @Override
    protected void sendThrottled(HttpExchange ex, int retryAfterSeconds) throws IOException {
        ex.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
        sendError(ex, 429, "rate_limited", "rate limit exceeded");
    }

    @Override
    protected String truncatedJsonSample() {
        return "[{\"id\":1,\"backup_definition_id\":\"cloud66-my";
    }
}
