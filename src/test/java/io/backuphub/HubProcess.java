package io.backuphub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.provider.SimulatedProviders;

import static org.awaitility.Awaitility.await;

/**
 * The real hub ({@link BackupHub#main}, config/application.properties, routes/) in a separate JVM on a data
 * folder, configured through the environment as an operator does, so a test can kill it with SIGKILL
 * ({@link #kill()}) and start it again on the same folder. Its output goes to a log file per life.
 */
public final class HubProcess implements AutoCloseable {

    public static final String TOKEN = "crash-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HubProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * The environment of a hub on these simulators: both sources on, polled every few seconds, storage on a file
     * target under the data folder, the API open to {@link #TOKEN}. Add or replace entries before {@link #start}.
     */
    public static Map<String, String> environment(Path dataDir, int port, SimulatedProviders providers) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HUB_DATA_DIR", dataDir.toString());
        env.put("HUB_API_PORT", Integer.toString(port));
        env.put("HUB_NODE_NAME", "crash-node");
        env.put("HUB_API_CLIENTS", TOKEN + "=*");
        env.put("HUB_CLOUD66_BASE_URL", providers.cloud66.baseUrl());
        env.put("HUB_CLOUD66_TOKEN", SimulatedProviders.TOKEN);
        env.put("HUB_CLOUD66_SCHEDULE", "0/4 * * * * ?");
        env.put("HUB_VPROTECT_BASE_URL", providers.vprotect.baseUrl());
        env.put("HUB_VPROTECT_USERNAME", SimulatedProviders.USER);
        env.put("HUB_VPROTECT_PASSWORD", SimulatedProviders.PASSWORD);
        env.put("HUB_VPROTECT_SCHEDULE", "2/4 * * * * ?");
        env.put("HUB_VPROTECT_PAGE_SIZE", "10");
        env.put("HUB_HTTP_REDELIVERY_DELAY_MS", "50");
        env.put("HUB_HTTP_MAX_REDELIVERY_DELAY_MS", "200");
        env.put("HUB_STORAGE_TARGETS", "file:" + dataDir.resolve("storage"));
        env.put("HUB_CLOUD66_DOWNLOAD_HOSTS", "127.0.0.1");
        env.put("HUB_FANOUT_SCHEDULE", "1/3 * * * * ?");
        env.put("HUB_FANOUT_REDELIVERY_DELAY_MS", "50");
        env.put("HUB_FANOUT_MAX_REDELIVERY_DELAY_MS", "200");
        env.put("HUB_EXPORTS_SCHEDULE", TestHub.NEVER);
        env.put("HUB_NOTIFY_STALE_SCHEDULE", TestHub.NEVER);
        env.put("HUB_NOTIFY_BATCH_WINDOW_MS", "200");
        env.put("HUB_NOTIFY_OUTBOX_POLL_MS", "300");
        env.put("HUB_NOTIFY_REDELIVERY_DELAY_MS", "100");
        env.put("HUB_NOTIFY_MAX_REDELIVERY_DELAY_MS", "1000");
        env.put("HUB_NOTIFY_CATCH_UP_INTERVAL_MS", "10000");
        // -Dcrash.h2-options=DB_CLOSE_ON_EXIT=FALSE runs the hub on H2 without the durable default, to see what it loses
        String h2Options = System.getProperty("crash.h2-options");
        if (h2Options != null && !h2Options.isBlank()) {
            env.put("HUB_DB_URL", "jdbc:h2:retry:" + dataDir.resolve("catalog") + ";" + h2Options);
        }
        return env;
    }

    /** Starts the hub in its own JVM from the project folder (where config/ and routes/ are). */
    public static HubProcess start(Map<String, String> env, Path log) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, BackupHub.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            return new HubProcess(builder.start(), log, Integer.parseInt(env.get("HUB_API_PORT")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the hub's log has this text. */
    public HubProcess awaitLog(String text, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited (" + process.exitValue() + "): " + log());
            }
            return log().contains(text);
        });
        return this;
    }

    /** Waits until the hub has started (its routes run and the API answers). */
    public HubProcess awaitStarted() {
        return awaitLog("started in", Duration.ofSeconds(90));
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL: the JVM dies at once, with no shutdown hook, no flush, no clean stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the hub did not die on SIGKILL");
        }
    }

    /** SIGTERM: a graceful stop. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the hub did not stop on SIGTERM within 60 s");
        }
    }

    /** GET on the v1 API with the test token; the body as JSON. */
    public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + pathAndQuery)).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** POST with no body on the v1 API with the test token; the body as JSON (any 2xx). */
    public JsonNode post(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Every backup the API answers, by id: the provider's key it answers for it ("provider/provider backup id"). */
    public Map<Long, String> backupsByApiId() throws IOException, InterruptedException {
        Map<Long, String> backups = new LinkedHashMap<>();
        for (JsonNode instance : getAll("/v1/backup_instances")) {
            String provider = instance.path("backup_definition_id").asText().startsWith("cloud66") ? "cloud66" : "vprotect";
            for (JsonNode backup : getAll("/v1/backup_instances/" + instance.get("id").asLong() + "/backups")) {
                backups.put(backup.get("id").asLong(), provider + "/" + backup.get("provider_backup_id").asText());
            }
        }
        return backups;
    }

    /** Every backup the API answers, as JSON. */
    public List<JsonNode> backups() throws IOException, InterruptedException {
        List<JsonNode> backups = new ArrayList<>();
        for (JsonNode instance : getAll("/v1/backup_instances")) {
            getAll("/v1/backup_instances/" + instance.get("id").asLong() + "/backups").forEach(backups::add);
        }
        return backups;
    }

    private List<JsonNode> getAll(String path) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode items = get(path + "?per_page=100&page=" + page);
            items.forEach(all::add);
            if (items.size() < 100) {
                return all;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
