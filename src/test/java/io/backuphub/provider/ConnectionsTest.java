package io.backuphub.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.CapturedLogs;
import io.backuphub.HubProcess;
import io.backuphub.TestHub;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections: several accounts of one provider, each owned by a customer, polled side by side. */
class ConnectionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACME_TOKEN = "acme-api-token";
    private static final String GLOBEX_TOKEN = "globex-api-token";

    @Test
    void twoCloud66ConnectionsOfTwoCustomersPollSideBySide(@TempDir Path dataDir) throws Exception {
        try (Cloud66Simulator acmeCloud = new Cloud66Simulator("acme-c66-token").start();
             Cloud66Simulator globexCloud = new Cloud66Simulator("globex-c66-token").start()) {
            acmeCloud.addStack("stk-acme", "Shop");
            globexCloud.addStack("stk-globex", "Blog");
            Instant day = Instant.parse("2026-10-01T02:00:00Z");
            for (int i = 1; i <= 3; i++) {
                acmeCloud.addBackup("stk-acme", i, "mysql", "shop_db", day.plusSeconds(3600L * i), 0, 1000L * i);
            }
            // the same backup ids at the other account: unique per connection, not per provider
            for (int i = 1; i <= 2; i++) {
                globexCloud.addBackup("stk-globex", i, "redis", "cache", day.plusSeconds(3600L * i), 0, 70L * i);
            }
            try (TestHub hub = connection(connection(TestHub.on(dataDir), "acme-c66", "acme", acmeCloud, "acme-c66-token"),
                    "globex-c66", "globex", globexCloud, "globex-c66-token")
                    .with("hub.api.clients", ACME_TOKEN + "=acme;" + GLOBEX_TOKEN + "=globex")
                    .start()) {
                assertNotNull(hub.context().getRoute("acme-c66-poll"));
                assertNotNull(hub.context().getRoute("globex-c66-sync"));
                assertNotNull(hub.context().getRoute("globex-c66-budget"));

                assertTrue(hub.sync("acme-c66").succeeded());
                assertTrue(hub.sync("globex-c66").succeeded());

                assertEquals(List.of(Map.of("source", "acme-c66", "name", "acme", "n", 3L),
                                Map.of("source", "globex-c66", "name", "globex", "n", 2L)),
                        hub.rows("SELECT b.source, c.name, COUNT(*) AS n FROM backups b "
                                + "JOIN backup_instances i ON i.id = b.backup_instance_id "
                                + "JOIN customers c ON c.id = i.customer_id GROUP BY b.source, c.name ORDER BY b.source"));
                assertEquals(2, hub.count("SELECT COUNT(*) FROM sync_runs WHERE source IN ('acme-c66', 'globex-c66')"));

                String base = "http://localhost:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}") + "/v1";
                JsonNode acmeInstances = get(base + "/backup_instances", ACME_TOKEN);
                JsonNode globexInstances = get(base + "/backup_instances", GLOBEX_TOKEN);
                assertEquals(List.of("Shop shop_db (mysql)"), names(acmeInstances));
                assertEquals(List.of("Blog cache (redis)"), names(globexInstances));
                long acmeInstance = acmeInstances.get(0).path("id").asLong();
                assertEquals(404, status(base + "/backup_instances/" + acmeInstance + "/backups", GLOBEX_TOKEN));
                assertEquals(3, get(base + "/backup_instances/" + acmeInstance + "/backups", ACME_TOKEN).size());
            }
        }
    }

    @Test
    void aRegistrationGoesToTheConnectionOfTheCallersCustomer(@TempDir Path dataDir) throws Exception {
        try (Cloud66Simulator acmeCloud = new Cloud66Simulator("acme-c66-token").start();
             Cloud66Simulator globexCloud = new Cloud66Simulator("globex-c66-token").start()) {
            acmeCloud.addStack("stk-acme", "Shop");
            globexCloud.addStack("stk-globex", "Blog");
            Instant day = Instant.parse("2026-10-01T02:00:00Z");
            acmeCloud.addBackup("stk-acme", 1, "mysql", "shop_db", day, 0, 1000L);
            globexCloud.addBackup("stk-globex", 1, "redis", "cache", day, 0, 70L);
            try (TestHub hub = connection(connection(TestHub.on(dataDir), "acme-c66", "acme", acmeCloud, "acme-c66-token"),
                    "globex-c66", "globex", globexCloud, "globex-c66-token")
                    .with("hub.api.clients", ACME_TOKEN + "=acme;" + GLOBEX_TOKEN + "=globex")
                    .start()) {
                hub.sync("acme-c66");
                hub.sync("globex-c66");
                // a database the hub has not polled yet, at acme's account only
                acmeCloud.addBackup("stk-acme", 2, "mysql", "orders", day, 0, 500L);
                String base = "http://localhost:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}") + "/v1";
                long acme = get(base + "/customers", ACME_TOKEN).get(0).path("id").asLong();
                long globex = get(base + "/customers", GLOBEX_TOKEN).get(0).path("id").asLong();

                HttpResponse<String> registered = register(base, ACME_TOKEN, acme, "stk-acme", "orders");
                assertEquals(201, registered.statusCode(), registered.body());
                assertEquals("acme-c66", hub.rows("SELECT source FROM backup_instances WHERE source_key = "
                        + "'stk-acme/mysql/orders'").get(0).get("source"));

                // globex's connection is asked, and its account has no such stack
                HttpResponse<String> foreign = register(base, GLOBEX_TOKEN, globex, "stk-acme", "orders");
                assertEquals(422, foreign.statusCode(), foreign.body());
                assertTrue(foreign.body().contains("unknown_provider_object"), foreign.body());
            }
        }
    }

    @Test
    void aConnectionWithMissingCredentialsStaysOffAndSaysWhichKeys(@TempDir Path dataDir) {
        try (CapturedLogs log = CapturedLogs.start();
             TestHub hub = TestHub.on(dataDir)
                     .with("hub.sources.nokey.provider", "cloud66")
                     .with("hub.sources.nokey.customer", "acme")
                     .with("hub.sources.nokey.base-url", "http://127.0.0.1:9")
                     .start()) {
            assertNull(hub.context().getRoute("nokey-poll"));
            assertNull(hub.context().getRoute("nokey-sync"));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("source=nokey is off: no credentials. "
                    + "Set hub.sources.nokey.token (environment: HUB_SOURCES_NOKEY_TOKEN)")), log.lines().toString());
        }
    }

    @Test
    void aConnectionSetByEnvironmentVariablesAloneIsPolled(@TempDir Path dataDir) throws Exception {
        try (Cloud66Simulator cloud = new Cloud66Simulator("env-c66-token").start()) {
            cloud.addStack("stk-env", "Shop");
            cloud.addBackup("stk-env", 1, "mysql", "shop_db", Instant.parse("2026-10-01T02:00:00Z"), 0, 1000L);
            int port = TestHub.freePort();
            Map<String, String> env = new java.util.LinkedHashMap<>();
            env.put("HUB_DATA_DIR", dataDir.toString());
            env.put("HUB_API_PORT", Integer.toString(port));
            env.put("HUB_API_CLIENTS", HubProcess.TOKEN + "=acme");
            env.put("HUB_SOURCES_ACME_C66_PROVIDER", "cloud66");
            env.put("HUB_SOURCES_ACME_C66_CUSTOMER", "acme");
            env.put("HUB_SOURCES_ACME_C66_BASE_URL", cloud.baseUrl());
            env.put("HUB_SOURCES_ACME_C66_TOKEN", "env-c66-token");
            env.put("HUB_SOURCES_ACME_C66_SCHEDULE", "0/2 * * * * ?");
            try (HubProcess hub = HubProcess.start(env, dataDir.resolve("hub.log")).awaitStarted()) {
                hub.awaitLog("source=acme-c66 scope=all sync completed: seen=1 new=1", java.time.Duration.ofSeconds(60));
                JsonNode instances = hub.get("/v1/backup_instances");
                assertEquals(List.of("Shop shop_db (mysql)"), names(instances));
                assertTrue(!hub.log().contains("env-c66-token"), "the token is never logged");
            }
        }
    }

    @Test
    void connectionNamesComeFromPropertiesAndEnvironmentVariablesOnceEach() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("hub.sources.acme-c66.provider", "cloud66");
        properties.setProperty("hub.sources.acme-c66.token", "t");
        assertEquals(java.util.Set.of("acme-c66", "globex"), Connections.names(properties, Map.of(
                "HUB_SOURCES_ACME_C66_PROVIDER", "cloud66", "HUB_SOURCES_GLOBEX_PROVIDER", "vprotect",
                "HUB_SOURCES_GLOBEX_USERNAME", "u", "HUB_SOURCES__PROVIDER", "x", "HUB_CLOUD66_TOKEN", "t")));
    }

    private static TestHub.Builder connection(TestHub.Builder hub, String name, String customer, Cloud66Simulator cloud,
                                              String token) {
        String prefix = "hub.sources." + name + ".";
        return hub.with(prefix + "provider", "cloud66")
                .with(prefix + "customer", customer)
                .with(prefix + "base-url", cloud.baseUrl())
                .with(prefix + "token", token)
                .with(prefix + "schedule", TestHub.NEVER);
    }

    private static HttpResponse<String> register(String base, String token, long customer, String stack,
                                                 String database) throws Exception {
        String form = "backup_instance[backup_definition_id]=cloud66-mysql&backup_instance[customer_id]=" + customer
                + "&backup_instance[backup_frequency]=manual&backup_instance[stack_uid]=" + stack
                + "&backup_instance[database_name]=" + database;
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/backup_instances"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form.replace("[", "%5B").replace("]", "%5D"))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> names(JsonNode instances) {
        return java.util.stream.StreamSupport.stream(instances.spliterator(), false)
                .map(i -> i.path("name").asText()).toList();
    }

    private static JsonNode get(String url, String token) throws Exception {
        HttpResponse<String> response = call(url, token);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static int status(String url, String token) throws Exception {
        return call(url, token).statusCode();
    }

    private static HttpResponse<String> call(String url, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
