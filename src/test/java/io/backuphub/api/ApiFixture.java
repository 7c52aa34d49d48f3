package io.backuphub.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.api.client.V1Api;
import io.backuphub.api.client.invoker.ApiClient;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.provider.SyncRun;

/**
 * The hub on the simulators' data set, synced once, with its v1 API: Cloud66's instances belong to customer
 * {@code acme}, vProtect's to {@code globex}. Tokens: {@link #ACME} sees acme, {@link #GLOBEX} globex,
 * {@link #ADMIN} everyone; OAuth client {@code reporting:reporting-secret} sees acme. The client generated from the
 * hub's OpenAPI document ({@link #api(Object)} with a token, {@link #api} without) and plain HTTP ({@link #get},
 * {@link #send}) both drive it.
 */
final class ApiFixture implements AutoCloseable {

    static final String ACME = "acme-token";
    static final String GLOBEX = "globex-token";
    static final String ADMIN = "admin-token";
    static final String SIGNING_KEY = "test-signing-key-0123456789";

    final SimulatedProviders providers = new SimulatedProviders();
    final TestHub hub;
    /** The generated client without credentials. */
    final V1Api api;
    final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;

    ApiFixture(Path dataDir) {
        this(dataDir, Map.of());
    }

    ApiFixture(Path dataDir, Map<String, String> overrides) {
        TestHub.Builder builder = providers.hubOn(dataDir)
                .with("hub.cloud66.customer", "acme")
                .with("hub.vprotect.customer", "globex")
                .with("hub.api.clients", ACME + "=acme;" + GLOBEX + "=globex;" + ADMIN + "=*")
                .with("hub.api.oauth-clients", "reporting:reporting-secret=acme")
                .with("hub.api.secret", SIGNING_KEY);
        overrides.forEach(builder::with);
        hub = builder.start();
        for (String source : new String[] {"cloud66", "vprotect"}) {
            if (hub.context().getRoute(source + "-sync") != null) {
                SyncRun run = hub.sync(source);
                if (!run.succeeded()) {
                    throw new IllegalStateException(source + " did not sync: " + run.error());
                }
            }
        }
        baseUrl = "http://127.0.0.1:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}");
        ApiClient client = new ApiClient();
        client.setBasePath(baseUrl);
        api = new V1Api(client);
    }

    /**
     * The generated client sending this {@code Authorization} header: {@code Bearer <token>} through the
     * document's bearer scheme, anything else (a malformed header) as it is, null none.
     */
    V1Api api(Object authorization) {
        ApiClient client = new ApiClient();
        client.setBasePath(baseUrl);
        if (authorization != null) {
            String header = authorization.toString();
            if (header.startsWith("Bearer ")) {
                client.setBearerToken(header.substring("Bearer ".length()));
            } else {
                client.addDefaultHeader("Authorization", header);
            }
        }
        return new V1Api(client);
    }

    /**
     * A request the typed client cannot express (an id that is not a number), built by the generated client's
     * invoker with the same credentials; a body goes as JSON.
     */
    okhttp3.Call rawCall(Object authorization, String method, String path, Object body) {
        return rawCall(authorization, method, path, body, Map.of());
    }

    okhttp3.Call rawCall(Object authorization, String method, String path, Object body, Map<String, String> headers) {
        Map<String, String> headerParams = new java.util.HashMap<>(headers);
        if (body != null) {
            headerParams.put("Content-Type", "application/json");
        }
        try {
            return api(authorization).getApiClient().buildCall(null, path, method, java.util.List.of(),
                    java.util.List.of(), body, headerParams, Map.of(), Map.of(), new String[] {"bearer"}, null);
        } catch (io.backuphub.api.client.invoker.ApiException e) {
            throw new IllegalStateException(method + " " + path + ": the generated client could not build the call", e);
        }
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The id of the instance with this name. */
    long instanceId(String name) {
        return hub.count("SELECT id FROM backup_instances WHERE name = '" + name + "'");
    }

    long shopDb() {
        return instanceId("Shop shop_db (mysql)");
    }

    long webVm() {
        return instanceId("web-01");
    }

    /**
     * Makes vProtect know a protected entity the hub has not synced, as registration asks vProtect first: the
     * entity with one backup older than the hub's cursor (so the next poll leaves it alone).
     */
    void vprotectHas(String guid, String type, String status) {
        if (providers.vprotect.protectedEntities().stream().noneMatch(e -> e.guid().equals(guid))) {
            providers.vprotect.addProtectedEntity(guid, guid, type);
            providers.vprotect.addBackup(guid, "backup-of-" + guid, status, "FULL",
                    providers.firstSnapshot.minus(java.time.Duration.ofDays(1)), 1L);
        }
    }

    /** Makes Cloud66 know a database the hub has not synced (one old backup of it), as registration asks Cloud66. */
    void cloud66Has(String stackUid, String dbType, String database) {
        providers.cloud66.addBackup(stackUid, providers.cloud66.nextBackupId(), dbType, database,
                java.time.Instant.parse("2026-01-01T00:00:00Z"), 0, 1L);
    }

    /** A generated client's call, executed: status, headers and body. */
    Reply call(okhttp3.Call call) {
        try (okhttp3.Response response = call.execute()) {
            String body = response.body() == null ? "" : response.body().string();
            return new Reply(response.code(), response.headers().toMultimap(), body, parse(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply get(String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET();
        if (token != null) {
            request.header("Authorization", bearer(token));
        }
        return send(request);
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body(), parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery));
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            hub.close();
        } finally {
            providers.close();
        }
    }

    /** What came back: status, headers (lower-case names), the body as text and as JSON (null if not JSON). */
    record Reply(int status, Map<String, java.util.List<String>> headers, String body, JsonNode json) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String errorCode() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
