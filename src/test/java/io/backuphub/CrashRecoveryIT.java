package io.backuphub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.fanout.Receiver;
import io.backuphub.provider.SimulatedProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub in a separate JVM ({@link HubProcess}) killed with SIGKILL and started again on the same data folder:
 * nothing it acted on is lost (the catalog's commits are on disk first), events wait in the outbox until
 * delivered, and an id the API answered always answers the same object. {@code -Dcrash.kills=20} runs the crash
 * loop with 20 kills (5 by default).
 */
class CrashRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH_MAX = 10;

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();
    private final Receiver webhook = new Receiver();
    private final int port = TestHub.freePort();
    private int lives;

    @AfterEach
    void stopAll() {
        webhook.close();
        providers.close();
    }

    @Test
    void anEventCommittedButNotDeliveredWhenTheHubIsKilledIsDeliveredAfterRestart() throws Exception {
        Map<String, String> env = environment();
        env.put("HUB_FANOUT_SCHEDULE", TestHub.NEVER); // backup.failed only: no copies, no backup.stored
        webhook.refuseNext(Integer.MAX_VALUE); // the receiver is down: the events wait in the outbox
        try (HubProcess hub = life(env)) {
            hub.awaitLog("source=cloud66 scope=all sync completed", Duration.ofSeconds(90))
                    .awaitLog("source=vprotect scope=all sync completed", Duration.ofSeconds(90))
                    .awaitLog("not delivered", Duration.ofSeconds(30));
            hub.kill();
        }
        assertTrue(webhook.posts().isEmpty());

        webhook.refuseNext(0); // up again
        Set<String> failed = new TreeSet<>();
        try (HubProcess hub = life(env)) {
            hub.awaitStarted();
            for (JsonNode backup : hub.backups()) {
                if ("failed".equals(backup.get("status").asText())) {
                    failed.add("backup.failed:" + backup.get("id").asLong());
                }
            }
            assertFalse(failed.isEmpty());
            await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds().containsAll(failed));
            hub.stop();
        }
        try (Connection c = catalog()) {
            Set<String> raised = new TreeSet<>(strings(c, "SELECT event_key FROM notifications"));
            assertEquals(failed, raised, "every failed backup raised its event once");
            assertEquals(raised, new TreeSet<>(receivedIds()), "every event committed before the kill was delivered");
            assertEquals(raised.size(), receivedIds().size(), "each once: none was in flight at the kill");
            assertEquals(List.of(), strings(c, "SELECT event_key FROM notification_deliveries WHERE status <> 'delivered'"));
        }
    }

    @Test
    void anIdAnsweredByTheApiIsNeverReusedAfterAKill() throws Exception {
        Map<String, String> env = environment();
        Map<Long, String> answered;
        long shopDb;
        long fresh;
        try (HubProcess hub = life(env)) {
            hub.awaitLog("source=cloud66 scope=all sync completed", Duration.ofSeconds(90))
                    .awaitLog("source=vprotect scope=all sync completed", Duration.ofSeconds(90));
            answered = hub.backupsByApiId();
            shopDb = instanceOf(hub, "cloud66/1");
            // a new backup, synced through the API ("back up now"): the hub answers its id, and is killed at once
            providers.cloud66.addBackup("stk-a", 5001, "mysql", "shop_db", Instant.now(), 0, 5001);
            JsonNode newest = hub.post("/v1/backup_instances/" + shopDb + "/backups");
            hub.kill();
            fresh = newest.get("id").asLong();
            assertEquals("5001", newest.get("provider_backup_id").asText());
        }
        assertEquals(SimulatedProviders.CLOUD66_BACKUPS + SimulatedProviders.VPROTECT_BACKUPS, answered.size());
        answered.put(fresh, "cloud66/5001");

        // while the hub is down another customer's source gets a backup, and it is the first one synced after the
        // restart: a catalog that had lost the answered backup would give it the same id
        providers.vprotect.addBackup("vm-2", "20000000-0000-4000-8000-000000000001", "SUCCESS", "FULL", Instant.now(), 7);
        env.put("HUB_CLOUD66_SCHEDULE", TestHub.NEVER);
        try (HubProcess hub = life(env)) {
            hub.awaitStarted().awaitLog("source=vprotect scope=all sync completed", Duration.ofSeconds(90));
            hub.post("/v1/backup_instances/" + shopDb + "/backups");
            Map<Long, String> now = hub.backupsByApiId();
            answered.forEach((id, key) -> assertEquals(key, now.get(id), "backup id " + id + " answers the same backup"));
            assertEquals(answered.size() + 1, now.size());
            hub.stop();
        }
    }

    /** Between the log lines holding {@code first} and {@code then}, by their times of day (HH:mm:ss.SSS). */
    private static long millisBetween(String log, String first, String then) {
        Pattern time = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        Function<String, LocalTime> at = text -> log.lines()
                .filter(line -> line.contains(text)).map(time::matcher).filter(Matcher::find).findFirst()
                .map(found -> LocalTime.parse(found.group()))
                .orElseThrow(() -> new AssertionError("no log line with " + text + ": " + log));
        return Duration.between(at.apply(first), at.apply(then)).toMillis();
    }

    private static long instanceOf(HubProcess hub, String backupKey) throws Exception {
        for (JsonNode instance : hub.get("/v1/backup_instances?per_page=100")) {
            for (JsonNode backup : hub.get("/v1/backup_instances/" + instance.get("id").asLong() + "/backups?per_page=100")) {
                String provider = instance.path("backup_definition_id").asText().startsWith("cloud66") ? "cloud66" : "vprotect";
                if ((provider + "/" + backup.get("provider_backup_id").asText()).equals(backupKey)) {
                    return instance.get("id").asLong();
                }
            }
        }
        throw new AssertionError("no instance has backup " + backupKey);
    }

    /**
     * The first start migrates an empty catalog (about a second of DDL, which H2 commits statement by statement): a
     * kill as its migrations begin and one halfway through them, each on a fresh data folder, and each next start
     * comes up on a complete schema and syncs.
     */
    @Test
    void aHubKilledInTheMiddleOfItsFirstMigrationsStartsOnTheNextTry() throws Exception {
        long migrating = 0;
        for (String round : List.of("as-they-begin", "halfway")) {
            Map<String, String> env = environment();
            Path data = dataDir.resolve("first-start-" + round);
            env.put("HUB_DATA_DIR", data.toString());
            Path marker = data.resolve("catalog.migrating");
            try (HubProcess hub = life(env)) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(1)).until(() -> Files.exists(marker));
                Thread.sleep(migrating / 2);
                hub.kill();
            }
            System.out.printf("first start killed %d ms after its migrations began (%s)%n", migrating / 2, round);
            assertTrue(Files.exists(marker), round + ": the kill landed before the migrations had finished");

            try (HubProcess hub = life(env)) {
                hub.awaitStarted().awaitLog("source=cloud66 scope=all sync completed", Duration.ofSeconds(90));
                assertTrue(hub.log().contains("last migration was cut short"), hub.log());
                assertFalse(Files.exists(marker));
                migrating = Math.max(migrating, millisBetween(hub.log(), "before migrating it", "migrations applied now"));
                assertEquals(SimulatedProviders.CLOUD66_BACKUPS, hub.backupsByApiId().values().stream()
                        .filter(key -> key.startsWith("cloud66/")).count());
                hub.stop();
            }
        }
    }

    @Test
    void theHubKilledAtRandomMomentsLosesNothingAndRepeatsOnlyWhatWasInFlight() throws Exception {
        int kills = Integer.getInteger("crash.kills", 5);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        providers.cloud66.setDownloadRate(300_000); // copies take a while: kills land mid-copy too
        Map<String, String> env = environment();
        Map<Long, String> answered = new HashMap<>();
        int snapshots = 0;
        long started = System.nanoTime();

        for (int kill = 1; kill <= kills; kill++) {
            addBackups(kill);
            try (HubProcess hub = life(env)) {
                // a few kills land during start-up (migrations, claims released), most while it syncs, copies, notifies
                if (random.nextInt(5) > 0) {
                    hub.awaitStarted();
                }
                Thread.sleep(300 + random.nextInt(5000));
                try {
                    Map<Long, String> seen = hub.backupsByApiId();
                    snapshots++;
                    observe(answered, seen);
                } catch (IOException e) {
                    // not answering yet: nothing observed in this life
                }
                hub.kill();
            }
        }

        long expectedBackups = SimulatedProviders.CLOUD66_BACKUPS + SimulatedProviders.VPROTECT_BACKUPS + 2L * kills;
        try (HubProcess hub = life(env)) {
            hub.awaitStarted();
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).until(() -> settled(hub, expectedBackups));
            observe(answered, hub.backupsByApiId());
            hub.stop();
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        try (Connection c = catalog()) {
            // every provider backup in the catalog once
            assertEquals(expectedBackups, count(c, "SELECT COUNT(*) FROM backups"));
            assertEquals(expectedBackups, count(c, "SELECT COUNT(*) FROM (SELECT DISTINCT provider, provider_backup_id FROM backups) x"));
            // no id answering a different object: what the API answered in every life is what the catalog holds
            Map<Long, String> catalog = new HashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, provider, provider_backup_id FROM backups")) {
                while (rs.next()) {
                    catalog.put(rs.getLong(1), rs.getString(2) + "/" + rs.getString(3));
                }
            }
            answered.forEach((id, key) -> assertEquals(key, catalog.get(id), "backup id " + id));

            // every copy stored and verified once, its file whole under its final name
            long copies = count(c, "SELECT COUNT(*) FROM copies");
            assertTrue(copies > 0);
            assertEquals(copies, count(c, "SELECT COUNT(*) FROM copies WHERE status = 'stored'"), "every copy stored");
            assertEquals(0, count(c, "SELECT COUNT(*) FROM (SELECT record_id, target FROM copies GROUP BY record_id, target "
                    + "HAVING COUNT(*) > 1) x"));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT x.storage_key, x.sha256, x.size_bytes, r.sha256 FROM copies x JOIN records r ON r.id = x.record_id")) {
                while (rs.next()) {
                    Path file = dataDir.resolve("data").resolve("storage").resolve(rs.getString(1));
                    assertTrue(Files.isRegularFile(file), "stored copy " + file);
                    assertEquals(rs.getLong(3), Files.size(file), "size of " + file);
                    assertEquals(rs.getString(2), sha256(file), "hash of " + file);
                    assertEquals(rs.getString(2), rs.getString(4), "the record's hash");
                }
            }
            List<Path> parts;
            try (Stream<Path> files = Files.walk(dataDir.resolve("data").resolve("storage"))) {
                parts = files.filter(f -> f.getFileName().toString().contains(".part-")).toList();
            }

            // every event delivered at least once; repeats only for deliveries a kill caught in flight
            Set<String> raised = new TreeSet<>(strings(c, "SELECT event_key FROM notifications"));
            List<String> received = receivedIds();
            Set<String> failedBackups = strings(c, "SELECT CONCAT('backup.failed:', id) FROM backups WHERE status = 'failed'")
                    .stream().collect(Collectors.toCollection(TreeSet::new));
            Set<String> storedBackups = strings(c, "SELECT CONCAT('backup.stored:', b.id) FROM backups b WHERE EXISTS "
                    + "(SELECT 1 FROM copies x WHERE x.backup_id = b.id)").stream().collect(Collectors.toCollection(TreeSet::new));
            assertTrue(raised.containsAll(failedBackups), "backup.failed for every failed backup");
            assertTrue(raised.containsAll(storedBackups), "backup.stored for every stored backup");
            assertTrue(new TreeSet<>(received).containsAll(raised), "every event delivered");
            assertEquals(List.of(), strings(c, "SELECT event_key FROM notification_deliveries WHERE status <> 'delivered'"));
            Map<String, Long> times = received.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            long repeated = times.values().stream().filter(n -> n > 1).count();
            long extra = times.values().stream().mapToLong(n -> n - 1).sum();
            assertTrue(extra <= (long) kills * BATCH_MAX, "repeats (" + extra + ") are at most what " + kills
                    + " kills could catch in flight (" + BATCH_MAX + " each)");

            int downloads = providers.cloud66.requestCount("GET", "^/storage/");
            long cloud66Copies = count(c, "SELECT COUNT(*) FROM copies x JOIN backups b ON b.id = x.backup_id "
                    + "WHERE b.provider = 'cloud66'");
            System.out.printf("%nCRASH LOOP (seed %d): %d kills, %d API snapshots, %.0f s%n"
                            + "  backups: %d in the catalog, %d expected, 0 twice; ids answered: %d, none reused%n"
                            + "  copies: %d, all stored and verified; cloud66 downloads %d for %d copies (%d repeated); "
                            + ".part leftovers %d (none under a final name)%n"
                            + "  events: %d raised, all delivered; %d webhook posts, %d event deliveries received, "
                            + "%d event ids received more than once (%d extra)%n",
                    seed, kills, snapshots, seconds, count(c, "SELECT COUNT(*) FROM backups"), expectedBackups,
                    answered.size(), copies, downloads, cloud66Copies, Math.max(0, downloads - cloud66Copies), parts.size(),
                    raised.size(), webhook.posts().size(), received.size(), repeated, extra);
        }
    }

    /** Whether the hub has caught up: every backup in, every copy stored, backup.stored and backup.failed received. */
    private boolean settled(HubProcess hub, long expectedBackups) throws Exception {
        List<JsonNode> backups = hub.backups();
        if (backups.size() < expectedBackups) {
            return false;
        }
        Set<String> expected = new TreeSet<>();
        for (JsonNode backup : backups) {
            String status = backup.get("status").asText();
            if (status.equals("failed")) {
                expected.add("backup.failed:" + backup.get("id").asLong());
            }
            JsonNode copies = backup.path("copies");
            if (status.equals("completed") || status.equals("partial")) {
                if (copies.isEmpty()) {
                    return false; // its copies are not queued yet
                }
                for (JsonNode copy : copies) {
                    if (!"stored".equals(copy.path("status").asText())) {
                        return false;
                    }
                }
                expected.add("backup.stored:" + backup.get("id").asLong());
            }
        }
        return new TreeSet<>(receivedIds()).containsAll(expected);
    }

    private static void observe(Map<Long, String> answered, Map<Long, String> seen) {
        seen.forEach((id, key) -> {
            String before = answered.putIfAbsent(id, key);
            assertTrue(before == null || before.equals(key), "backup id " + id + " answered " + before + ", now " + key);
        });
    }

    /** One more Cloud66 backup and one more vProtect backup, so each life has new work to sync, copy and notify. */
    private void addBackups(int life) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        providers.cloud66.addBackup("stk-a", 1000 + life, "mysql", "shop_db", now, 0, 20_000L + life);
        providers.vprotect.addBackup("vm-1", String.format("10000000-0000-4000-8000-%012d", life), "SUCCESS", "FULL",
                now, 2_000_000L + life);
    }

    private Map<String, String> environment() {
        Map<String, String> env = HubProcess.environment(dataDir.resolve("data"), port, providers);
        env.put("HUB_NOTIFY_WEBHOOK_URL", webhook.url("/hooks/backup"));
        env.put("HUB_NOTIFY_BATCH_MAX", Integer.toString(BATCH_MAX));
        return env;
    }

    private HubProcess life(Map<String, String> env) {
        lives++;
        return HubProcess.start(env, dataDir.resolve("hub-" + lives + ".log"));
    }

    /** The catalog as the hub left it, opened with the hub's own default URL settings. */
    private Connection catalog() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("data").resolve("catalog")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", "");
    }

    private List<String> receivedIds() throws IOException {
        List<String> ids = new ArrayList<>();
        for (Receiver.Post post : webhook.posts()) {
            JsonNode body = JSON.readTree(post.body());
            if (body.has("events")) {
                body.get("events").forEach(e -> ids.add(e.get("id").asText()));
            } else {
                ids.add(body.get("id").asText());
            }
        }
        return ids;
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
