package io.backuphub.demo.cloud66;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import io.backuphub.demo.SimulatorServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cloud66 API v3 simulator (backups, stacks and the pre-signed S3 downloads they point to).
 * Shapes, paging and errors follow the seed {@code cloud66-v3-backups.md} and providers.md section 1.
 *
 * <p>{@link #baseUrl()} is {@code http://127.0.0.1:<port>/api/3}; file downloads are served from
 * {@code /storage/...} on the same port, authorised by the URL's signature instead of the token.
 */
public final class Cloud66Simulator extends SimulatorServer {

    private static final String BASE = "/api/3";
    private static final Set<String> DB_TYPES = Set.of("mysql", "postgresql", "redis", "mongodb");
    private static final Set<String> ALL_SCOPES = Set.of("public", "redeploy", "jobs", "users", "admin");

    private static final Pattern STACKS = Pattern.compile("/stacks");
    private static final Pattern STACK = Pattern.compile("/stacks/([^/]+)");
    private static final Pattern BACKUPS = Pattern.compile("/stacks/([^/]+)/backups");
    private static final Pattern BACKUP = Pattern.compile("/stacks/([^/]+)/backups/([^/]+)");
    private static final Pattern FILES = Pattern.compile("/stacks/([^/]+)/backups/([^/]+)/files");
    private static final Pattern FILE = Pattern.compile("/stacks/([^/]+)/backups/([^/]+)/files/([^/]+)");

    private final Object lock = new Object();
    private final Map<String, StackData> stacks = new LinkedHashMap<>();
    private final Map<Long, SimulatedCloud66Backup> backupsById = new HashMap<>();
    /** One backup group per (stack, db type, database), as Cloud66 groups a database's backups. */
    private final Map<String, Integer> groups = new HashMap<>();
    private final List<Cloud66Request> importRequests = new ArrayList<>();
    private final List<Cloud66Request> taskRequests = new ArrayList<>();
    private final List<Cloud66ImportDownload> importDownloads = new ArrayList<>();
    private final HttpClient downloader = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final SignedStorage storage = new SignedStorage();

    private volatile String token;
    private volatile Set<String> scopes = ALL_SCOPES;
    private volatile int pageSize = 30;
    private volatile Duration publicUrlTtl = Duration.ofMinutes(10);
    private volatile boolean doubleEncodeSignature;

    private final Object rateLock = new Object();
    private int rateLimit = 3600;
    private long rateWindowStart = System.currentTimeMillis();
    private int rateUsed;

    public Cloud66Simulator(String token) {
        super("cloud66");
        this.token = Objects.requireNonNull(token, "token");
    }

    @Override
    public Cloud66Simulator start() {
        return start(0);
    }

    @Override
    public Cloud66Simulator start(int port) {
        super.start(port);
        return this;
    }

    @Override
    protected String basePath() {
        return BASE;
    }

    // ================================================================ configuration

    /** Replaces the accepted token (the old one is refused from now on, like a revoked PAT). */
    public void setToken(String token) {
        this.token = Objects.requireNonNull(token);
    }

    /** OAuth scopes the token carries; without "admin", POST .../backups gets 403 forbidden. */
    public void setScopes(String... scopes) {
        this.scopes = Set.of(scopes);
    }

    /** Default page size when the request has no per_page (the real API uses 30). */
    public void setPageSize(int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be >= 1");
        }
        this.pageSize = pageSize;
    }

    /** Requests per hourly window before the API answers 503 throttled (default 3600). */
    public void setRateLimit(int requestsPerHour) {
        synchronized (rateLock) {
            rateLimit = requestsPerHour;
            rateWindowStart = System.currentTimeMillis();
            rateUsed = 0;
        }
    }

    /** Serves backup files (the pre-signed downloads) at this many bytes per second; 0 = no limit (the default). */
    public void setDownloadRate(long bytesPerSecond) {
        storage.setBytesPerSecond(bytesPerSecond);
    }

    /** Lifetime of the pre-signed download URLs; a negative value hands out already expired URLs. */
    public void setPublicUrlTtl(Duration ttl) {
        this.publicUrlTtl = Objects.requireNonNull(ttl);
    }

    /**
     * The real API double-encodes the signature ({@code %252F}) and its Go client undoes it;
     * enable this to check that the hub does the same. Off by default.
     */
    public void setDoubleEncodeSignature(boolean doubleEncode) {
        this.doubleEncodeSignature = doubleEncode;
    }

    // ================================================================ test data API

    public SimulatedCloud66Stack addStack(String uid, String name) {
        synchronized (lock) {
            if (stacks.containsKey(uid)) {
                throw new IllegalArgumentException("stack already exists: " + uid);
            }
            SimulatedCloud66Stack stack = new SimulatedCloud66Stack(uid, name, Instant.now().minus(Duration.ofDays(90)));
            stacks.put(uid, new StackData(stack));
            return stack;
        }
    }

    public List<SimulatedCloud66Stack> stacks() {
        synchronized (lock) {
            return stacks.values().stream().map(s -> s.stack).toList();
        }
    }

    /**
     * Adds a backup with one file {@code "tar"} of {@code sizeBytes} bytes (none when
     * {@code backupStatus} is 1 = failed). Backup ids are unique across all stacks.
     */
    public SimulatedCloud66Backup addBackup(String stackUid, long id, String dbType, String databaseName,
                                   Instant backupDate, int backupStatus, long sizeBytes) {
        synchronized (lock) {
            StackData stack = stack(stackUid);
            if (backupsById.containsKey(id)) {
                throw new IllegalArgumentException("backup id already used: " + id);
            }
            int group = groups.computeIfAbsent(stackUid + "/" + dbType + "/" + databaseName, k -> groups.size() + 1);
            SimulatedCloud66Backup b = new SimulatedCloud66Backup(id, stackUid, dbType, databaseName, backupDate, backupStatus,
                    sizeBytes, group);
            stack.backups.add(b);
            backupsById.put(id, b);
            return b;
        }
    }

    /** A backup id higher than any used so far, for adding "new" backups. */
    public long nextBackupId() {
        synchronized (lock) {
            long max = 0;
            for (StackData s : stacks.values()) {
                for (RawBackup r : s.raw) {
                    max = Math.max(max, r.sortId);
                }
            }
            for (long id : backupsById.keySet()) {
                max = Math.max(max, id);
            }
            return max + 1;
        }
    }

    public SimulatedCloud66Backup backup(long id) {
        synchronized (lock) {
            SimulatedCloud66Backup b = backupsById.get(id);
            if (b == null) {
                throw new IllegalArgumentException("no backup " + id);
            }
            return b;
        }
    }

    /** The stack's typed backups, newest (highest id) first. */
    public List<SimulatedCloud66Backup> backups(String stackUid) {
        synchronized (lock) {
            return stack(stackUid).backups.stream()
                    .sorted(Comparator.comparingLong(SimulatedCloud66Backup::id).reversed()).toList();
        }
    }

    public void setFiles(long backupId, List<SimFile> files) {
        backup(backupId).setFiles(files);
    }

    /**
     * Puts {@code rawJson} into the stack's listing exactly as given (it must be syntactically
     * valid JSON, but may be anything the hub should reject). It is ordered by its numeric
     * {@code id} when it has one, else listed last; filters look at its db_type/group fields.
     */
    public void addRawBackupJson(String stackUid, String rawJson) {
        JsonNode parsed = parseJson(rawJson);
        JsonNode id = parsed.path("id");
        Long numericId = id.isIntegralNumber() ? id.asLong() : null;
        synchronized (lock) {
            stack(stackUid).raw.add(new RawBackup(numericId == null ? Long.MIN_VALUE : numericId, numericId,
                    parsed, new RawValue(rawJson.strip())));
        }
    }

    /** Removes the backup (typed or raw) with this id; true if one was there. */
    public boolean removeBackup(String stackUid, long id) {
        synchronized (lock) {
            StackData stack = stack(stackUid);
            boolean removed = stack.backups.removeIf(b -> b.id() == id);
            if (removed) {
                backupsById.remove(id);
            }
            return stack.raw.removeIf(r -> r.id != null && r.id == id) || removed;
        }
    }

    /** Typed plus raw entries of the stack. */
    public int backupCount(String stackUid) {
        synchronized (lock) {
            StackData stack = stack(stackUid);
            return stack.backups.size() + stack.raw.size();
        }
    }

    /** Import requests ({@code remote_url} given) in arrival order. */
    public List<Cloud66Request> importRequests() {
        synchronized (lock) {
            return List.copyOf(importRequests);
        }
    }

    /** What each import's download of {@code remote_url} yielded, in order of completion. */
    public List<Cloud66ImportDownload> importDownloads() {
        synchronized (lock) {
            return List.copyOf(importDownloads);
        }
    }

    /** Create-backup-task requests in arrival order. */
    public List<Cloud66Request> backupTaskRequests() {
        synchronized (lock) {
            return List.copyOf(taskRequests);
        }
    }

    /** The bytes a download of this file yields, for comparing with what the hub stored. */
    public static InputStream fileContent(long backupId, String fileId, long sizeBytes) {
        return SyntheticContent.open(backupId, fileId, sizeBytes);
    }

    private StackData stack(String uid) {
        StackData s = stacks.get(uid);
        if (s == null) {
            throw new IllegalArgumentException("no stack " + uid);
        }
        return s;
    }

    // ================================================================ HTTP

    /** The Go client appends ".json"; the docs do not. Both must reach the same route. */
    @Override
    protected String normalizePath(String rawPath) {
        String p = rawPath;
        if (p.startsWith(BASE)) {
            if (p.endsWith(".json")) {
                p = p.substring(0, p.length() - ".json".length());
            }
            if (p.length() > 1 && p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
        }
        return p;
    }

    /** Rate-limit headers on every API answer; the storage host is S3, not the API. */
    @Override
    protected boolean preHandle(HttpExchange ex, String path) throws IOException {
        if (path.startsWith(SignedStorage.PREFIX)) {
            return false;
        }
        int limit;
        int used;
        synchronized (rateLock) {
            long now = System.currentTimeMillis();
            if (now - rateWindowStart >= Duration.ofHours(1).toMillis()) {
                rateWindowStart = now;
                rateUsed = 0;
            }
            limit = rateLimit;
            used = ++rateUsed;
        }
        ex.getResponseHeaders().set("X-RateLimit-Limit", String.valueOf(limit));
        ex.getResponseHeaders().set("X-RateLimit-Remaining", String.valueOf(Math.max(0, limit - used)));
        if (used > limit) {
            sendThrottled(ex, 0);
            return true;
        }
        return false;
    }

    @Override
    protected void handle(HttpExchange ex, String path) throws IOException {
        if (path.startsWith(SignedStorage.PREFIX)) {
            Map<String, List<String>> query = queryParams(ex);
            storage.serve(ex, path.substring(SignedStorage.PREFIX.length()), name -> first(query, name), this::locate);
            return;
        }
        if (!path.startsWith(BASE + "/")) {
            sendError(ex, 404, "No route for " + path);
            return;
        }
        if (!authorised(ex)) {
            sendError(ex, 401, "The access token is missing, invalid or revoked");
            return;
        }
        String route = path.substring(BASE.length());
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        Map<String, List<String>> query = queryParams(ex);
        Matcher m;
        if (method.equals("POST") && (m = BACKUPS.matcher(route)).matches()) {
            createOrImport(ex, m.group(1), query);
        } else if (!method.equals("GET")) {
            sendError(ex, 404, "No route for " + method + " " + path);
        } else if (STACKS.matcher(route).matches()) {
            listStacks(ex, query);
        } else if ((m = STACK.matcher(route)).matches()) {
            getStack(ex, m.group(1));
        } else if ((m = BACKUPS.matcher(route)).matches()) {
            listBackups(ex, m.group(1), query);
        } else if ((m = BACKUP.matcher(route)).matches()) {
            getBackup(ex, m.group(1), m.group(2));
        } else if ((m = FILES.matcher(route)).matches()) {
            listFiles(ex, m.group(1), m.group(2), query);
        } else if ((m = FILE.matcher(route)).matches()) {
            getFileUrl(ex, m.group(1), m.group(2), m.group(3));
        } else {
            sendError(ex, 404, "No route for " + path);
        }
    }

    private boolean authorised(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return false;
        }
        String[] parts = header.trim().split("\\s+", 2);
        return parts.length == 2 && parts[0].equalsIgnoreCase("Bearer")
                && MessageDigest.isEqual(parts[1].getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private void listStacks(HttpExchange ex, Map<String, List<String>> query) throws IOException {
        String nameFilter = first(query, "filter_name");
        String envFilter = first(query, "filter_environment");
        List<Object> items = new ArrayList<>();
        synchronized (lock) {
            for (StackData s : stacks.values()) {
                boolean nameOk = nameFilter == null
                        || s.stack.name().toLowerCase(Locale.ROOT).contains(nameFilter.toLowerCase(Locale.ROOT));
                boolean envOk = envFilter == null || s.stack.environment().equalsIgnoreCase(envFilter);
                if (nameOk && envOk) {
                    items.add(s.stack.toJson());
                }
            }
        }
        sendPage(ex, query, items);
    }

    private void getStack(HttpExchange ex, String uid) throws IOException {
        SimulatedCloud66Stack stack;
        synchronized (lock) {
            StackData s = stacks.get(uid);
            stack = s == null ? null : s.stack;
        }
        if (stack == null) {
            sendError(ex, 404, "Stack " + uid + " not found");
        } else {
            sendResponse(ex, stack.toJson());
        }
    }

    private void listBackups(HttpExchange ex, String stackUid, Map<String, List<String>> query) throws IOException {
        String dbType = first(query, "db_type");
        Integer group = optionalInt(query, "group");
        List<Listed> listed = new ArrayList<>();
        synchronized (lock) {
            StackData stack = stacks.get(stackUid);
            if (stack == null) {
                sendError(ex, 404, "Stack " + stackUid + " not found");
                return;
            }
            for (SimulatedCloud66Backup b : stack.backups) {
                if ((dbType == null || dbType.equals(b.dbType())) && (group == null || group.equals(b.group()))) {
                    listed.add(new Listed(b.id(), b));
                }
            }
            for (RawBackup r : stack.raw) {
                boolean dbOk = dbType == null || dbType.equals(r.parsed.path("db_type").asText(null));
                boolean groupOk = group == null
                        || (r.parsed.path("group").isIntegralNumber() && r.parsed.path("group").asInt() == group);
                if (dbOk && groupOk) {
                    listed.add(new Listed(r.sortId, r.raw));
                }
            }
        }
        // Newest first, as in the reference example (id 4 before id 1); sort is stable for equal ids.
        listed.sort(Comparator.comparingLong(Listed::sortId).reversed());
        sendPage(ex, query, listed.stream().map(Listed::item).toList());
    }

    private void getBackup(HttpExchange ex, String stackUid, String idText) throws IOException {
        Object found = findBackup(stackUid, idText);
        if (found instanceof SimulatedCloud66Backup b) {
            sendResponse(ex, b.toJson());
        } else if (found instanceof RawBackup r) {
            sendRawJson(ex, 200, "{\"response\":" + r.raw.rawValue() + "}");
        } else {
            sendError(ex, 404, "Backup " + idText + " not found");
        }
    }

    private void listFiles(HttpExchange ex, String stackUid, String idText, Map<String, List<String>> query)
            throws IOException {
        if (!(findBackup(stackUid, idText) instanceof SimulatedCloud66Backup b)) {
            sendError(ex, 404, "Backup " + idText + " not found");
            return;
        }
        List<Object> items = new ArrayList<>();
        for (SimFile f : b.files()) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", f.id());
            n.put("name", f.name());
            items.add(n);
        }
        sendPage(ex, query, items);
    }

    private void getFileUrl(HttpExchange ex, String stackUid, String idText, String fileId) throws IOException {
        if (!(findBackup(stackUid, idText) instanceof SimulatedCloud66Backup b)) {
            sendError(ex, 404, "Backup " + idText + " not found");
            return;
        }
        SimFile file = b.file(fileId).orElse(null);
        if (file == null) {
            sendError(ex, 404, "File " + fileId + " not found for backup " + idText);
            return;
        }
        String objectKey = b.storagePath() + "/" + file.name();
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", true);
        body.put("public_url", storage.publicUrl(rootUrl(), objectKey, publicUrlTtl, doubleEncodeSignature));
        sendResponse(ex, body);
    }

    /** The typed backup, the raw entry, or null; only backups of that stack count. */
    private Object findBackup(String stackUid, String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return null;
        }
        synchronized (lock) {
            StackData stack = stacks.get(stackUid);
            if (stack == null) {
                return null;
            }
            for (SimulatedCloud66Backup b : stack.backups) {
                if (b.id() == id) {
                    return b;
                }
            }
            for (RawBackup r : stack.raw) {
                if (r.id != null && r.id == id) {
                    return r;
                }
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- POST /stacks/{uid}/backups

    private void createOrImport(HttpExchange ex, String stackUid, Map<String, List<String>> query) throws IOException {
        if (!scopes.contains("admin")) {
            sendError(ex, 403, "This action needs the admin scope");
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        query.forEach((k, v) -> params.put(k, v.get(0)));
        params.putAll(bodyParams(ex));
        synchronized (lock) {
            if (!stacks.containsKey(stackUid)) {
                sendError(ex, 404, "Stack " + stackUid + " not found");
                return;
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", true);
        if (params.containsKey("remote_url") || params.containsKey("group")) {
            validateImport(params);
            synchronized (lock) {
                importRequests.add(new Cloud66Request(stackUid, params));
            }
            body.put("message", "Your external backup queued for upload");
            sendResponse(ex, body);
            // then, as Cloud66 does after queueing, fetch the backup (the client has its answer already)
            download(stackUid, params);
            return;
        } else {
            validateDbTypes(params.get("db_type"), true);
            if (params.containsKey("keep_count")) {
                parseIntParam("keep_count", params.get("keep_count"));
            }
            synchronized (lock) {
                taskRequests.add(new Cloud66Request(stackUid, params));
            }
            body.put("message", "queued for creation");
        }
        sendResponse(ex, body);
    }

    /** GETs the import's remote_url and records the bytes' count and hash, streamed. */
    private void download(String stackUid, Map<String, String> params) {
        String url = params.get("remote_url");
        int status = 0;
        long size = 0;
        String sha256 = null;
        String error = null;
        try {
            HttpResponse<InputStream> response = downloader.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = response.body()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
            if (status != 200) {
                error = "remote_url answered HTTP " + status;
            }
        } catch (IOException | IllegalArgumentException | java.security.NoSuchAlgorithmException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        synchronized (lock) {
            importDownloads.add(new Cloud66ImportDownload(stackUid, params.get("group"), params.get("db_type"), url,
                    status, size, sha256, error));
        }
    }

    private static Map<String, String> bodyParams(HttpExchange ex) throws IOException {
        String contentType = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        if (contentType.contains("json")) {
            JsonNode json = readJsonBody(ex);
            if (!json.isObject()) {
                throw new BadRequestException("request body must be a JSON object");
            }
            for (Map.Entry<String, JsonNode> e : json.properties()) {
                params.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        } else {
            parseForm(readBody(ex)).forEach((k, v) -> params.put(k, v.get(0)));
        }
        return params;
    }

    private static void validateImport(Map<String, String> params) {
        String url = params.get("remote_url");
        if (url == null) {
            throw new BadRequestException("remote_url is required");
        }
        if (!(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new BadRequestException("remote_url must be an http(s) URL");
        }
        if (params.get("group") == null) {
            throw new BadRequestException("group is required");
        }
        parseIntParam("group", params.get("group"));
        if (params.get("db_type") == null) {
            throw new BadRequestException("db_type is required");
        }
        validateDbTypes(params.get("db_type"), false);
    }

    private static void validateDbTypes(String dbTypes, boolean allowAll) {
        if (dbTypes == null) {
            return;
        }
        for (String t : dbTypes.split(",")) {
            String type = t.trim();
            if (!DB_TYPES.contains(type) && !(allowAll && type.equals("all"))) {
                throw new BadRequestException("invalid db_type: " + type);
            }
        }
    }

    // ---------------------------------------------------------------- storage

    /** Resolves {@code <storage_path>/<file name>} to the file's generated content. */
    private Optional<SignedStorage.StoredObject> locate(String objectKey) {
        int slash = objectKey.lastIndexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String storagePath = objectKey.substring(0, slash);
        String name = objectKey.substring(slash + 1);
        synchronized (lock) {
            for (SimulatedCloud66Backup b : backupsById.values()) {
                if (b.storagePath().equals(storagePath)) {
                    Optional<SimFile> file = b.fileNamed(name);
                    if (file.isPresent()) {
                        return Optional.of(new SignedStorage.StoredObject(
                                SyntheticContent.seed(b.id(), file.get().id()), file.get().sizeBytes()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- envelopes and errors

    private static void sendResponse(HttpExchange ex, JsonNode payload) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.set("response", payload);
        sendJson(ex, 200, body);
    }

    /** The list envelope of the reference: response, count (this page) and pagination (1-based pages). */
    private void sendPage(HttpExchange ex, Map<String, List<String>> query, List<?> items) throws IOException {
        int page = Math.max(1, Objects.requireNonNullElse(optionalInt(query, "page"), 1));
        int perPage = Objects.requireNonNullElse(optionalInt(query, "per_page"), pageSize);
        perPage = Math.max(1, Math.min(perPage, 100));
        int total = items.size();
        int pages = total == 0 ? 1 : (total + perPage - 1) / perPage;
        long start = (long) (page - 1) * perPage;
        List<?> slice = start >= total ? List.of() : items.subList((int) start, (int) Math.min(total, start + perPage));

        ObjectNode body = JSON.createObjectNode();
        ArrayNode response = body.putArray("response");
        for (Object item : slice) {
            if (item instanceof RawValue raw) {
                response.addRawValue(raw);
            } else if (item instanceof SimulatedCloud66Backup backup) {
                // rendered here, for the page asked for only: a listing of 100,000 backups is read 30 at a time
                response.add(backup.toJson());
            } else {
                response.add((JsonNode) item);
            }
        }
        body.put("count", slice.size());
        ObjectNode pagination = body.putObject("pagination");
        pagination.put("previous", page > 1 ? Integer.valueOf(page - 1) : null);
        pagination.put("next", page < pages ? Integer.valueOf(page + 1) : null);
        pagination.put("current", page);
        pagination.put("per_page", perPage);
        pagination.put("count", total);
        pagination.put("pages", pages);
        sendJson(ex, 200, body);
    }

    @Override
    protected void sendError(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", errorCode(status));
        body.put("error_description", message);
        sendJson(ex, status, body);
    }

    @Override
    protected void sendThrottled(HttpExchange ex, int retryAfterSeconds) throws IOException {
        ex.getResponseHeaders().set("X-RateLimit-Remaining", "0");
        ObjectNode body = JSON.createObjectNode();
        body.put("error", "throttled");
        body.put("error_description", retryAfterSeconds > 0
                ? "Rate limit exceeded; retry in " + retryAfterSeconds + " seconds"
                : "Rate limit exceeded; retry in the next hourly window");
        sendJson(ex, 503, body);
    }

    @Override
    protected String truncatedJsonSample() {
        return "{\"response\":[{\"id\":4,\"server_uid\":\"e63e859d5ab72b0bcf14321f0ffb013d\",\"db_type\":\"my";
    }

    /** Cloud66's documented error tokens (providers.md 1.5). */
    private static String errorCode(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 402 -> "trial_expired";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 408 -> "time_out";
            case 409 -> "conflict";
            case 503 -> "not_implemented";
            default -> status >= 500 ? "internal_server_error" : "bad_request";
        };
    }

    private static Integer optionalInt(Map<String, List<String>> query, String name) {
        String value = first(query, name);
        return value == null || value.isEmpty() ? null : parseIntParam(name, value);
    }

    private static int parseIntParam(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be an integer, got '" + value + "'");
        }
    }

    // ---------------------------------------------------------------- internal records

    private static final class StackData {
        final SimulatedCloud66Stack stack;
        final List<SimulatedCloud66Backup> backups = new ArrayList<>();
        final List<RawBackup> raw = new ArrayList<>();

        StackData(SimulatedCloud66Stack stack) {
            this.stack = stack;
        }
    }

    /** A test-injected entry: {@code id} is its numeric id if it has one. */
    private record RawBackup(long sortId, Long id, JsonNode parsed, RawValue raw) {
    }

    /** A listed backup: a simulated one (rendered when its page is sent) or a raw one as it was given. */
    private record Listed(long sortId, Object item) {
    }
}
