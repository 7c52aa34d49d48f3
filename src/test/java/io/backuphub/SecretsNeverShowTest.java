package io.backuphub;

import java.io.IOException;
import java.lang.reflect.Array;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import io.backuphub.fanout.Receiver;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.vprotect.VProtectSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The hub started as an operator starts it (its own JVM, {@code BackupHub.main}, config from a properties file
 * plus environment overrides) with a distinct known value in every credential property, some from the
 * environment and some from the file. After failing syncs, a refused download, failing notifications and
 * failing API calls, none of those values may appear in the log output, the health answers, the metrics,
 * any attribute of any MBean, or an error body.
 */
class SecretsNeverShowTest {

    private static final Duration START = Duration.ofSeconds(120);

    /** Property → a value found nowhere else; given through the environment. */
    private static final Map<String, String> FROM_ENVIRONMENT = new LinkedHashMap<>();
    /** Property → a value found nowhere else; given in the properties file. */
    private static final Map<String, String> FROM_FILE = new LinkedHashMap<>();

    static {
        FROM_ENVIRONMENT.put("hub.api.clients", "Xq1envApiClientToken");
        FROM_ENVIRONMENT.put("hub.api.oauth-clients", "Xq2envOauthClientSecret");
        FROM_ENVIRONMENT.put("hub.cloud66.token", "Xq3envCloud66Token");
        FROM_ENVIRONMENT.put("hub.vprotect.password", "Xq4envVprotectPassword");
        FROM_ENVIRONMENT.put("hub.s3.secret-key", "Xq5envS3SecretKey");
        FROM_ENVIRONMENT.put("hub.notify.slack.url", "Xq6envSlackHookPath");
        FROM_FILE.put("hub.api.secret", "Xq7fileApiSigningSecret");
        FROM_FILE.put("hub.vprotect.username", "Xq8fileVprotectUser");
        FROM_FILE.put("hub.db.password", "Xq9fileDbPassword");
        FROM_FILE.put("hub.s3.access-key", "Xq10fileS3AccessKey");
        FROM_FILE.put("hub.notify.webhook.secret", "Xq11fileWebhookSecret");
        FROM_FILE.put("hub.notify.webhook.url", "Xq12fileWebhookHookPath");
        FROM_FILE.put("hub.notify.email.password", "Xq13fileEmailPassword");
    }

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void noCredentialAppearsInLogsHealthMetricsJmxOrErrors() throws Exception {
        try (SimulatedProviders providers = new SimulatedProviders();
             VProtectSimulator vprotect = new VProtectSimulator(FROM_FILE.get("hub.vprotect.username"),
                     "the-password-vprotect-expects").start();
             Receiver hooks = new Receiver()) {
            providers.cloud66.setToken(FROM_ENVIRONMENT.get("hub.cloud66.token"));
            hooks.refuseNext(Integer.MAX_VALUE);
            int port = TestHub.freePort();
            int jmxPort = TestHub.freePort();
            Path log = dir.resolve("hub.log");

            Map<String, String> file = new LinkedHashMap<>();
            file.put("hub.data-dir", dir.resolve("data").toString());
            file.put("hub.api.port", Integer.toString(port));
            file.put("hub.cloud66.base-url", providers.cloud66.baseUrl());
            file.put("hub.vprotect.base-url", vprotect.baseUrl());
            file.put("hub.vprotect.page-size", "10");
            // every MBean an operator can turn on, the processors' (endpoint URIs) among them, not only the default's
            file.put("camel.main.jmx-management-mbeans-level", "Default");
            for (String schedule : List.of("hub.cloud66.schedule", "hub.vprotect.schedule", "hub.fanout.schedule",
                    "hub.notify.stale-schedule", "hub.exports.schedule")) {
                file.put(schedule, TestHub.NEVER);
            }
            file.put("hub.http.max-redeliveries", "1");
            file.put("hub.http.redelivery-delay-ms", "10");
            file.put("hub.fanout.max-redeliveries", "0");
            file.put("hub.notify.max-redeliveries", "1");
            file.put("hub.notify.redelivery-delay-ms", "10");
            file.put("hub.notify.batch-window-ms", "200");
            file.put("hub.notify.email.host", "127.0.0.1");
            file.put("hub.notify.email.port", Integer.toString(TestHub.freePort()));
            file.put("hub.notify.email.to", "ops@example.com");
            file.put("hub.notify.email.username", "mailer");
            FROM_FILE.forEach(file::put);
            file.put("hub.notify.webhook.url", hooks.url("/hooks/" + FROM_FILE.get("hub.notify.webhook.url")));
            Path config = dir.resolve("application.properties");
            StringBuilder properties = new StringBuilder(Files.readString(Path.of("config/application.properties")))
                    .append("\n## test overrides\n");
            file.forEach((key, value) -> properties.append(key).append(" = ").append(value).append('\n'));
            Files.writeString(config, properties);

            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m",
                    "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                    "-Djava.rmi.server.hostname=127.0.0.1",
                    "-Dcom.sun.management.jmxremote.authenticate=false",
                    "-Dcom.sun.management.jmxremote.ssl=false",
                    "-cp", System.getProperty("java.class.path"), BackupHub.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("HUB_CONFIG", config.toString());
            builder.environment().put("HUB_API_CLIENTS", FROM_ENVIRONMENT.get("hub.api.clients") + "=*");
            builder.environment().put("HUB_API_OAUTH_CLIENTS",
                    "reporting:" + FROM_ENVIRONMENT.get("hub.api.oauth-clients") + "=acme");
            builder.environment().put("HUB_CLOUD66_TOKEN", FROM_ENVIRONMENT.get("hub.cloud66.token"));
            builder.environment().put("HUB_VPROTECT_PASSWORD", FROM_ENVIRONMENT.get("hub.vprotect.password"));
            builder.environment().put("HUB_S3_SECRET_KEY", FROM_ENVIRONMENT.get("hub.s3.secret-key"));
            builder.environment().put("HUB_NOTIFY_SLACK_URL",
                    hooks.url("/services/" + FROM_ENVIRONMENT.get("hub.notify.slack.url")));

            Map<String, String> seen = new LinkedHashMap<>();
            Process hub = builder.start();
            try {
                String base = "http://127.0.0.1:" + port;
                await().atMost(START).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    String output = read(log);
                    assertTrue(hub.isAlive(), () -> "the hub stopped: " + output);
                    return output.contains("started in");
                });
                try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(
                        "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"))) {
                    MBeanServerConnection jmx = connector.getMBeanServerConnection();
                    ObjectName cloud66 = new ObjectName("backuphub:type=source,name=cloud66");
                    ObjectName vprotectSource = new ObjectName("backuphub:type=source,name=vprotect");

                    // a good sync queues copies whose download is refused (the simulator is not a download host)
                    jmx.invoke(cloud66, "syncNow", null, null);
                    ObjectName context = jmx.queryNames(new ObjectName("org.apache.camel:type=context,*"), null)
                            .iterator().next();
                    jmx.invoke(context, "sendBody", new Object[] {"direct:fanout-storage-run", ""},
                            new String[] {String.class.getName(), Object.class.getName()});
                    // then the token is revoked (401), and vProtect refuses the password
                    providers.cloud66.setToken("a-token-the-hub-does-not-have");
                    jmx.invoke(cloud66, "syncNow", null, null);
                    jmx.invoke(vprotectSource, "syncNow", null, null);

                    // API calls that fail
                    String token = FROM_ENVIRONMENT.get("hub.api.clients");
                    errorBody(seen, get(base + "/v1/backup_instances", "Authorization", "Bearer not-" + token));
                    errorBody(seen, get(base + "/v1/backup_instances?Authorization=Bearer%20" + token, null, null));
                    errorBody(seen, get(base + "/v1/backup_instances/987654", "Authorization", "Bearer " + token));
                    errorBody(seen, get(base + "/v1/customers/987654", "Authorization", "Bearer " + token));
                    errorBody(seen, get(base + "/v1/backup_instances/987654/endpoints/files/records/1/blob",
                            "Access-Token", token));
                    errorBody(seen, get(base + "/v1/no-such-thing", "Authorization", "Bearer " + token));
                    errorBody(seen, send(HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                                    + "reporting&client_secret=wrong-" + FROM_ENVIRONMENT.get("hub.api.oauth-clients")))));

                    // the failed copy's notifications have been tried on every channel and given up
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                            hooks.refused() >= 4 && read(log).contains("notify-email-send gave up"));

                    seen.put("GET /observe/health?data=true", get(base + "/observe/health?data=true", null, null).body());
                    seen.put("GET /observe/health", get(base + "/observe/health", null, null).body());
                    seen.put("GET /observe/health/ready", get(base + "/observe/health/ready", null, null).body());
                    seen.put("GET /observe/metrics", get(base + "/observe/metrics", null, null).body());
                    seen.putAll(everyMBeanAttribute(jmx));
                }
            } finally {
                hub.destroy();
                if (!hub.waitFor(45, TimeUnit.SECONDS)) {
                    hub.destroyForcibly();
                }
            }
            String output = read(log);
            for (String failure : List.of("source=cloud66 scope=all sync failed", "source=vprotect scope=all sync failed",
                    "is not in hub.cloud66.download-hosts", "notify-webhook-send gave up", "notify-slack-send gave up")) {
                assertTrue(output.contains(failure), "the failures ran (" + failure + "): " + output);
            }
            seen.put("log output", output);

            List<String> hits = new ArrayList<>();
            Map<String, String> secrets = new LinkedHashMap<>(FROM_ENVIRONMENT);
            secrets.putAll(FROM_FILE);
            secrets.forEach((property, secret) -> seen.forEach((where, text) -> {
                int at = text.indexOf(secret);
                if (at >= 0) {
                    hits.add(property + " (" + (FROM_ENVIRONMENT.containsKey(property) ? "environment" : "file")
                            + ") in " + where + ": ..." + text.substring(Math.max(0, at - 120),
                            Math.min(text.length(), at + secret.length() + 40)).replace('\n', ' ') + "...");
                }
            }));
            if (!hits.isEmpty()) {
                fail(hits.size() + " credential(s) shown:\n" + String.join("\n", hits));
            }

            // Camel still lists the credentials in its start-up summary, masked, whatever their source
            for (String shown : List.of("[OS Environment Variable]", "[application.properties]")) {
                assertTrue(output.contains(shown), "the summary names its sources: " + output);
            }
            for (String property : List.of("hub.api.clients", "hub.api.oauth-clients", "hub.notify.slack.url",
                    "hub.notify.webhook.url", "hub.cloud66.token", "hub.api.secret")) {
                assertTrue(output.contains(property + " = xxxxxx"), property + " is listed masked: " + output);
            }
        }
    }

    private void errorBody(Map<String, String> seen, HttpResponse<String> response) {
        assertTrue(response.statusCode() >= 400, () -> response.uri() + " answered " + response.statusCode());
        seen.put("error body of " + response.request().method() + " " + response.uri().getPath()
                + " (" + response.statusCode() + ")", response.headers().map() + " " + response.body());
    }

    private HttpResponse<String> get(String url, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (header != null) {
            request.header(header, value);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** "mbean name attribute" → its value as text, for every readable attribute of every MBean. */
    private static Map<String, String> everyMBeanAttribute(MBeanServerConnection jmx) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        Set<ObjectName> names = jmx.queryNames(null, null);
        for (ObjectName name : names) {
            List<String> readable = new ArrayList<>();
            try {
                for (MBeanAttributeInfo attribute : jmx.getMBeanInfo(name).getAttributes()) {
                    if (attribute.isReadable()) {
                        readable.add(attribute.getName());
                    }
                }
                for (Attribute attribute : jmx.getAttributes(name, readable.toArray(String[]::new)).asList()) {
                    values.put("JMX " + name + " " + attribute.getName(), text(attribute.getValue(), 0));
                }
            } catch (Exception e) {
                values.put("JMX " + name + " (unreadable)", String.valueOf(e.getMessage()));
            }
        }
        assertTrue(values.keySet().stream().anyMatch(k -> k.contains("backuphub:type=source"))
                && values.keySet().stream().anyMatch(k -> k.contains("type=processors")), values.keySet()::toString);
        return values;
    }

    private static String text(Object value, int depth) {
        if (value == null || depth > 8) {
            return String.valueOf(value);
        }
        if (value instanceof CompositeData composite) {
            StringBuilder s = new StringBuilder();
            for (String key : composite.getCompositeType().keySet()) {
                s.append(key).append('=').append(text(composite.get(key), depth + 1)).append(' ');
            }
            return s.toString();
        }
        if (value instanceof TabularData table) {
            return text(table.values(), depth + 1);
        }
        if (value instanceof Map<?, ?> map) {
            return text(map.entrySet(), depth + 1);
        }
        if (value instanceof Collection<?> collection) {
            StringBuilder s = new StringBuilder();
            for (Object item : collection) {
                s.append(text(item, depth + 1)).append(' ');
            }
            return s.toString();
        }
        if (value.getClass().isArray()) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Array.getLength(value); i++) {
                s.append(text(Array.get(value, i), depth + 1)).append(' ');
            }
            return s.toString();
        }
        return String.valueOf(value);
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
