package io.backuphub.demo.vprotect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import io.backuphub.demo.SimulatorServer;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Storware vProtect REST simulator: cookie sessions and the Backups Controller.
 * Shapes, filters and paging follow the seed {@code vprotect-backups-controller.md} and providers.md section 2.
 *
 * <p>{@link #baseUrl()} is {@code http://127.0.0.1:<port>/api}.
 */
public final class VProtectSimulator extends SimulatorServer {

    private static final String BASE = "/api";
    private static final String COOKIE = "JSESSIONID";
    /** {@code /backups/{guid}} and {@code /backups/for-restore/{guid}} (the same without RBAC filtering). */
    private static final Pattern BACKUP = Pattern.compile("/backups/(?:for-restore/)?([^/]+)");
    private static final Pattern ACK = Pattern.compile("/backups/([^/]+)/warnings-acknowledged");
    private static final List<String> PRIVILEGES = List.of("BACKUP_READ", "BACKUP_EDIT", "VIRTUAL_ENVIRONMENT_READ",
            "APP_INSTANCE_EXPORT_TASK_REGISTER", "TASK_READ");

    private final String login;
    private final String password;
    private final String userGuid = UUID.randomUUID().toString();
    private final SecureRandom random = new SecureRandom();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    private final Map<String, ProtectedEntity> entities = new LinkedHashMap<>();
    private final Map<String, SimulatedVProtectBackup> backups = new LinkedHashMap<>();
    private final List<RawBackup> rawBackups = new ArrayList<>();
    private final List<WarningAcknowledgement> acknowledgements = new ArrayList<>();
    /** Backups listed with a garbled {@code size}: how many more listings that contain each still garble it. */
    private final Map<String, Integer> garbled = new LinkedHashMap<>();

    private volatile boolean autoProgress;
    private volatile boolean nestedErrorBody;

    public VProtectSimulator(String login, String password) {
        super("vprotect");
        this.login = Objects.requireNonNull(login, "login");
        this.password = Objects.requireNonNull(password, "password");
    }

    @Override
    public VProtectSimulator start() {
        return start(0);
    }

    @Override
    public VProtectSimulator start(int port) {
        super.start(port);
        return this;
    }

    @Override
    protected String basePath() {
        return BASE;
    }

    // ================================================================ configuration

    /** Invalidates every session: the next call with an old cookie gets 401 until the client logs in again. */
    public void expireSessions() {
        sessions.clear();
    }

    @Override
    protected void expireSessionsNow() {
        expireSessions();
    }

    public int activeSessions() {
        return sessions.size();
    }

    /** When on, each listing moves the QUEUED/INPROGRESS backups it returned one step on (QUEUED→INPROGRESS→SUCCESS). */
    public void setAutoProgress(boolean autoProgress) {
        this.autoProgress = autoProgress;
    }

    /** Errors as {@code {"error":{"message":..}}} (the other form the UI reads) instead of {@code {"message":..}}. */
    public void setNestedErrorBody(boolean nested) {
        this.nestedErrorBody = nested;
    }

    // ================================================================ test data API

    public ProtectedEntity addProtectedEntity(String guid, String name, String type) {
        ProtectedEntity entity = new ProtectedEntity(guid, name, type);
        synchronized (lock) {
            if (entities.putIfAbsent(guid, entity) != null) {
                throw new IllegalArgumentException("protected entity already exists: " + guid);
            }
        }
        return entity;
    }

    public List<ProtectedEntity> protectedEntities() {
        synchronized (lock) {
            return List.copyOf(entities.values());
        }
    }

    /**
     * Adds a backup; {@code status} and {@code type} are enum names (SUCCESS, FULL...). An
     * INCREMENTAL gets the entity's latest earlier backup as {@code parentBackup}.
     */
    public SimulatedVProtectBackup addBackup(String entityGuid, String guid, String status, String type,
                                    Instant snapshotTime, long size) {
        synchronized (lock) {
            ProtectedEntity entity = entities.get(entityGuid);
            if (entity == null) {
                throw new IllegalArgumentException("no protected entity " + entityGuid);
            }
            if (backups.containsKey(guid)) {
                throw new IllegalArgumentException("backup already exists: " + guid);
            }
            String parent = null;
            if ("INCREMENTAL".equals(type)) {
                parent = backups.values().stream()
                        .filter(b -> b.protectedEntity().guid().equals(entityGuid)
                                && b.snapshotTime() < snapshotTime.toEpochMilli())
                        .max(Comparator.comparingLong(SimulatedVProtectBackup::snapshotTime))
                        .map(SimulatedVProtectBackup::guid).orElse(null);
            }
            SimulatedVProtectBackup b = new SimulatedVProtectBackup(entity, guid, status, type, snapshotTime, size, parent);
            backups.put(guid, b);
            return b;
        }
    }

    public SimulatedVProtectBackup backup(String guid) {
        synchronized (lock) {
            SimulatedVProtectBackup b = backups.get(guid);
            if (b == null) {
                throw new IllegalArgumentException("no backup " + guid);
            }
            return b;
        }
    }

    /** Typed backups, oldest snapshot first. */
    public List<SimulatedVProtectBackup> backups() {
        synchronized (lock) {
            return backups.values().stream()
                    .sorted(Comparator.comparingLong(SimulatedVProtectBackup::snapshotTime).thenComparing(SimulatedVProtectBackup::guid))
                    .toList();
        }
    }

    public boolean removeBackup(String guid) {
        synchronized (lock) {
            boolean removed = backups.remove(guid) != null;
            return rawBackups.removeIf(r -> guid.equals(r.guid)) || removed;
        }
    }

    /** Typed plus raw entries. */
    public int backupCount() {
        synchronized (lock) {
            return backups.size() + rawBackups.size();
        }
    }

    /**
     * Puts {@code rawJson} (syntactically valid, otherwise anything) into the listings as-is,
     * ordered and time-filtered by {@code snapshotTimeMillis}; the other filters read its
     * status/type/protectedEntity/hidden/size fields when present.
     */
    public void addRawBackupJson(long snapshotTimeMillis, String rawJson) {
        JsonNode parsed = parseJson(rawJson);
        synchronized (lock) {
            rawBackups.add(new RawBackup(snapshotTimeMillis, parsed, new RawValue(rawJson.strip())));
        }
    }

    /** As above, placed by the JSON's own numeric {@code snapshotTime} (0 if it has none). */
    public void addRawBackupJson(String rawJson) {
        JsonNode snapshot = parseJson(rawJson).path("snapshotTime");
        addRawBackupJson(snapshot.isIntegralNumber() ? snapshot.asLong() : 0L, rawJson);
    }

    /**
     * The next {@code listings} listings that contain backup {@code guid} render its {@code size} as text
     * ({@code "garbled"}): valid JSON around one item whose data a client cannot place. The backup itself is
     * unchanged; its details ({@code GET /backups/{guid}}) are not garbled. {@link Integer#MAX_VALUE}: until
     * {@link #clearGarbled()}.
     */
    public void garbleInListings(String guid, int listings) {
        synchronized (lock) {
            garbled.put(guid, listings);
        }
    }

    /** Lists every backup as it is again. */
    public void clearGarbled() {
        synchronized (lock) {
            garbled.clear();
        }
    }

    /** Every accepted {@code PUT /backups/{guid}/warnings-acknowledged}, in arrival order. */
    public List<WarningAcknowledgement> acknowledgedWarnings() {
        synchronized (lock) {
            return List.copyOf(acknowledgements);
        }
    }

    // ================================================================ HTTP

    @Override
    protected void handle(HttpExchange ex, String path) throws IOException {
        if (!path.startsWith(BASE + "/")) {
            sendError(ex, 404, "Not found: " + path);
            return;
        }
        String route = path.substring(BASE.length());
        if (route.endsWith("/") && route.length() > 1) {
            route = route.substring(0, route.length() - 1);
        }
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        if (route.equals("/session/login")) {
            if (method.equals("POST")) {
                login(ex);
            } else {
                sendError(ex, 405, "Method not allowed");
            }
            return;
        }
        String session = sessionId(ex);
        if (route.equals("/session/logout") && method.equals("POST")) {
            if (session != null) {
                sessions.remove(session);
            }
            ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly");
            sendEmpty(ex, 204);
            return;
        }
        if (session == null || !sessions.contains(session)) {
            sendError(ex, 401, "Unauthorized");
            return;
        }
        Matcher m;
        if (route.equals("/session") && method.equals("GET")) {
            sendEmpty(ex, 204);
        } else if (route.equals("/session/user") && method.equals("GET")) {
            sendJson(ex, 200, sessionInfo());
        } else if (route.equals("/backups") && method.equals("GET")) {
            listBackups(ex, false);
        } else if (route.equals("/backups/detailed") && method.equals("GET")) {
            // BackupDetails: each backup as GET /backups/{guid} gives it (files, destination, policy)
            listBackups(ex, true);
        } else if ((m = ACK.matcher(route)).matches() && method.equals("PUT")) {
            acknowledgeWarnings(ex, m.group(1));
        } else if ((m = BACKUP.matcher(route)).matches() && method.equals("GET")) {
            getBackup(ex, m.group(1));
        } else {
            sendError(ex, 404, "Not found: " + method + " " + path);
        }
    }

    // ---------------------------------------------------------------- sessions

    private void login(HttpExchange ex) throws IOException {
        JsonNode body = readJsonBody(ex);
        String givenLogin = body.path("login").asText(null);
        String givenPassword = body.path("password").asText(null);
        if (!login.equals(givenLogin) || !password.equals(givenPassword)) {
            sendError(ex, 401, "Invalid login or password");
            return;
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        String sessionId = HexFormat.of().withUpperCase().formatHex(id);
        sessions.add(sessionId);
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + sessionId + "; Path=/; HttpOnly");
        sendJson(ex, 201, sessionInfo());
    }

    private ObjectNode sessionInfo() {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode requester = n.putObject("requester");
        requester.put("guid", userGuid);
        requester.put("name", login);
        n.put("infoTourEnabled", false);
        n.putNull("lastFailedLoginIp");
        n.put("language", "EN");
        ObjectNode settings = n.putObject("appUserSettings");
        settings.put("pageSize", 10);
        settings.put("timeFormat", "HH:mm:ss");
        ArrayNode privileges = n.putArray("privileges");
        PRIVILEGES.forEach(privileges::add);
        n.putObject("endpointsTokens");
        n.put("uiConsoleMode", false);
        n.put("lastSuccessfulLogin", System.currentTimeMillis());
        n.putNull("lastFailedLogin");
        n.put("uiTimeZone", "UTC");
        return n;
    }

    /** The session cookie from any Cookie header (clients may send several cookies). */
    private static String sessionId(HttpExchange ex) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String cookie : header.split(";")) {
                int eq = cookie.indexOf('=');
                if (eq > 0 && cookie.substring(0, eq).trim().equals(COOKIE)) {
                    return cookie.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- backups

    /** A listing; only the page's rows are rendered (a large simulated history lists in time linear in the page). */
    private void listBackups(HttpExchange ex, boolean detailed) throws IOException {
        Map<String, List<String>> query = queryParams(ex);
        Predicate<Row> filter = filter(query);
        Comparator<Row> order = order(query);
        Integer page = optionalInt(query, "page");
        Integer size = optionalInt(query, "size");

        List<Row> rows = new ArrayList<>();
        synchronized (lock) {
            for (SimulatedVProtectBackup b : backups.values()) {
                rows.add(Row.of(b));
            }
            for (RawBackup r : rawBackups) {
                rows.add(Row.of(r));
            }
        }
        List<Row> matching = rows.stream().filter(filter).sorted(order).toList();
        List<Row> result = matching;
        if (page != null || size != null) {
            int p = page == null ? 0 : page;
            int s = size == null ? 10 : size; // the UI's TableParams default
            if (p < 0 || s < 1) {
                throw new BadRequestException("page must be >= 0 and size >= 1");
            }
            long from = (long) p * s;
            result = from >= matching.size() ? List.of()
                    : matching.subList((int) from, (int) Math.min(matching.size(), from + s));
            ex.getResponseHeaders().set("X-Total-Count", String.valueOf(matching.size()));
        }
        ArrayNode body = JSON.createArrayNode();
        for (Row row : result) {
            if (row.raw != null) {
                body.addRawValue(row.raw);
            } else {
                ObjectNode item = detailed ? row.backup.toExtendedDetails() : row.backup.toListRecord();
                if (garbledNow(row.guid)) {
                    item.put("size", "garbled");
                }
                body.add(item);
            }
        }
        // advanced before the answer goes out (the body is already written): a client's next listing, sent as soon
        // as this answer arrives, sees the next state
        if (autoProgress) {
            result.stream().filter(r -> r.backup != null).forEach(r -> r.backup.advance());
        }
        sendJson(ex, 200, body);
    }

    /** Whether this listing garbles the backup (and counts it as one of its garbled listings). */
    private boolean garbledNow(String guid) {
        synchronized (lock) {
            Integer left = garbled.get(guid);
            if (left == null || left <= 0) {
                return false;
            }
            if (left != Integer.MAX_VALUE) {
                garbled.put(guid, left - 1);
            }
            return true;
        }
    }

    private void getBackup(HttpExchange ex, String guid) throws IOException {
        SimulatedVProtectBackup b;
        RawBackup raw = null;
        synchronized (lock) {
            b = backups.get(guid);
            if (b == null) {
                raw = rawBackups.stream().filter(r -> guid.equals(r.guid)).findFirst().orElse(null);
            }
        }
        if (b != null) {
            sendJson(ex, 200, b.toExtendedDetails());
        } else if (raw != null) {
            sendRawJson(ex, 200, raw.raw.rawValue().toString());
        } else {
            sendError(ex, 404, "Backup with guid " + guid + " not found");
        }
    }

    private void acknowledgeWarnings(HttpExchange ex, String guid) throws IOException {
        JsonNode body = readJsonBody(ex);
        if (!body.path("value").isBoolean()) {
            throw new BadRequestException("body must be {\"value\": true|false}");
        }
        boolean value = body.path("value").booleanValue();
        SimulatedVProtectBackup b;
        synchronized (lock) {
            b = backups.get(guid);
            if (b != null) {
                b.setWarningsAcknowledged(value);
                acknowledgements.add(new WarningAcknowledgement(guid, value));
            }
        }
        if (b == null) {
            sendError(ex, 404, "Backup with guid " + guid + " not found");
        } else {
            sendJson(ex, 200, b.toListRecord());
        }
    }

    /** The shared query filters of the Backups Controller that the hub relies on. */
    private static Predicate<Row> filter(Map<String, List<String>> query) {
        Long from = optionalLong(query, "from");
        Long to = optionalLong(query, "to");
        Long minSize = optionalLong(query, "min-size");
        List<String> statuses = new ArrayList<>();
        for (String value : query.getOrDefault("status", List.of())) {
            for (String s : value.split(",")) {
                statuses.add(requireEnum(VProtectEnums.STATUS, "status", s.trim()));
            }
        }
        String type = first(query, "type");
        if (type != null) {
            requireEnum(VProtectEnums.TYPE, "type", type);
        }
        String entityType = first(query, "protected-entity-type");
        if (entityType != null) {
            requireEnum(VProtectEnums.ENTITY_TYPE, "protected-entity-type", entityType);
        }
        String entity = first(query, "protected-entity");
        boolean withoutHidden = Boolean.parseBoolean(first(query, "without-hidden"));
        return row -> (from == null || row.snapshotTime >= from)
                && (to == null || row.snapshotTime <= to)
                && (minSize == null || row.size >= minSize)
                && (statuses.isEmpty() || statuses.contains(row.status))
                && (type == null || type.equals(row.type))
                && (entity == null || entity.equals(row.entityGuid))
                && (entityType == null || entityType.equals(row.entityType))
                && !(withoutHidden && row.hidden);
    }

    /** orderBy snapshotTime (default), backupTime or size; ties broken by guid so pages never overlap. */
    private static Comparator<Row> order(Map<String, List<String>> query) {
        String orderBy = Objects.requireNonNullElse(first(query, "orderBy"), "snapshotTime");
        Comparator<Row> c = switch (orderBy) {
            case "snapshotTime" -> Comparator.comparingLong(r -> r.snapshotTime);
            case "backupTime" -> Comparator.comparingLong(r -> r.backupTime == null ? Long.MAX_VALUE : r.backupTime);
            case "size" -> Comparator.comparingLong(r -> r.size);
            default -> throw new BadRequestException("unsupported orderBy: " + orderBy);
        };
        c = c.thenComparing(r -> r.guid);
        String direction = Objects.requireNonNullElse(first(query, "direction"), "asc").toLowerCase(Locale.ROOT);
        if (direction.equals("desc")) {
            return c.reversed(); // desc is exactly asc reversed, tie-break included
        } else if (!direction.equals("asc")) {
            throw new BadRequestException("direction must be asc or desc");
        }
        return c;
    }

    private static String requireEnum(Map<String, String> values, String param, String name) {
        if (!values.containsKey(name)) {
            throw new BadRequestException("invalid " + param + ": " + name);
        }
        return name;
    }

    private static Integer optionalInt(Map<String, List<String>> query, String name) {
        Long value = optionalLong(query, name);
        if (value != null && (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE)) {
            throw new BadRequestException(name + " out of range");
        }
        return value == null ? null : value.intValue();
    }

    private static Long optionalLong(Map<String, List<String>> query, String name) {
        String value = first(query, name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be a number, got '" + value + "'");
        }
    }

    // ---------------------------------------------------------------- errors

    @Override
    protected void sendError(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        if (nestedErrorBody) {
            body.putObject("error").put("message", message);
        } else {
            body.put("message", message);
        }
        sendJson(ex, status, body);
    }

    @Override
    protected void sendThrottled(HttpExchange ex, int retryAfterSeconds) throws IOException {
        ex.getResponseHeaders().set("Retry-After", String.valueOf(retryAfterSeconds));
        sendError(ex, 429, "Too many requests");
    }

    @Override
    protected String truncatedJsonSample() {
        return "[{\"guid\":\"f8f73bf9-2445-4bce-a7dd-753be3b40a67\",\"backupTime\":1451677502000,\"snapsh";
    }

    // ---------------------------------------------------------------- internal records

    /** A test-injected entry and the fields the filters can read from it. */
    private static final class RawBackup {
        final long snapshotTime;
        final JsonNode parsed;
        final RawValue raw;
        final String guid;

        RawBackup(long snapshotTime, JsonNode parsed, RawValue raw) {
            this.snapshotTime = snapshotTime;
            this.parsed = parsed;
            this.raw = raw;
            this.guid = parsed.path("guid").isTextual() ? parsed.path("guid").asText() : null;
        }
    }

    /** One consistent snapshot of a listed backup: filter fields plus its rendered JSON. */
    private record Row(String guid, long snapshotTime, Long backupTime, long size, String status, String type,
                       String entityGuid, String entityType, boolean hidden,
                       JsonNode json, RawValue raw, SimulatedVProtectBackup backup) {

        static Row of(SimulatedVProtectBackup b) {
            synchronized (b) {
                return new Row(b.guid(), b.snapshotTime(), b.backupTime(), b.size(), b.status(), b.type(),
                        b.protectedEntity().guid(), b.protectedEntity().type(), b.hidden(), null, null, b);
            }
        }

        static Row of(RawBackup r) {
            JsonNode p = r.parsed;
            return new Row(r.guid == null ? "" : r.guid, r.snapshotTime,
                    p.path("backupTime").isIntegralNumber() ? p.path("backupTime").asLong() : null,
                    p.path("size").asLong(0), enumName(p.path("status")), enumName(p.path("type")),
                    p.path("protectedEntity").path("guid").asText(null),
                    enumName(p.path("protectedEntity").path("type")),
                    p.path("hidden").asBoolean(false), null, r.raw, null);
        }

        /** Enums arrive as {name, description}; accept a bare string too. */
        private static String enumName(JsonNode n) {
            return n.isTextual() ? n.asText() : n.path("name").asText(null);
        }
    }
}
