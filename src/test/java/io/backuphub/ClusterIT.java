package io.backuphub;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import io.backuphub.demo.Fault;
import io.backuphub.fanout.S3Server;
import io.backuphub.provider.SimulatedProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three hub nodes, each its own JVM, on one PostgreSQL database, one S3-compatible server and one set of provider
 * simulators, with clustering on and 5-second poll schedules: every poll slot is taken by one node, every backup is
 * in the catalog once and every record stored once; a node killed with SIGKILL while it holds copies loses them to the
 * survivors when their lease ends, a second one killed in the middle of a poll leaves its schedules firing on the last
 * node. The catalog and the bucket end as a
 * single node on the same data leaves them.
 *
 * <p>Runs when HUB_TEST_POSTGRES_URL points at a server where HUB_TEST_POSTGRES_USER may create databases.
 */
@EnabledIfEnvironmentVariable(named = "HUB_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class ClusterIT {

    private static final String SERVER = System.getenv("HUB_TEST_POSTGRES_URL");
    private static final String USER = System.getenv().getOrDefault("HUB_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("HUB_TEST_POSTGRES_PASSWORD", "");
    private static final String BUCKET = "cluster";
    private static final int NODES = 3;
    /** The poll schedules: Cloud66 at :00, :05, … and vProtect two seconds later. */
    private static final long SLOT_MS = 5000;
    /** How often each node checks in with the Quartz cluster. */
    private static final long CHECKIN_MS = 2000;
    /** A node's log line at the end of each copy run, with how many copies it stored. */
    private static final java.util.regex.Pattern COPY_RUN =
            java.util.regex.Pattern.compile("copy run: \\d+ claimed in \\d+ batch\\(es\\), (\\d+) stored");
    /** The nodes' logs, kept after the test for a look at how they shared the work. */
    private static final Path LOGS = Path.of("target", "cluster-it");

    @TempDir
    Path dir;

    private final SimulatedProviders providers = new SimulatedProviders();
    private final S3Server s3 = new S3Server();
    private final String database = "cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<HubProcess> nodes = new ArrayList<>();

    @BeforeEach
    void createDatabaseAndBucket() throws Exception {
        java.nio.file.Files.createDirectories(LOGS);
        admin("CREATE DATABASE " + database);
        s3.createBucket(BUCKET);
        // the large Cloud66 files take a few seconds each, so a node can be killed in the middle of one
        providers.cloud66.setDownloadRate(256 * 1024);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (HubProcess node : nodes) {
            node.close();
        }
        providers.close();
        s3.close();
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @Test
    void threeNodesPollEachSlotOnceStoreEveryRecordOnceAndTakeOverTheWorkOfNodesKilledMidCopyAndMidPoll() throws Exception {
        long started = System.currentTimeMillis();
        providers.cloud66.failAlways("^/storage/", Fault.delay(Duration.ofSeconds(15)));
        for (int i = 1; i <= NODES; i++) {
            nodes.add(HubProcess.start(environment(i), LOGS.resolve("node-" + i + ".log")));
        }
        for (HubProcess node : nodes) {
            node.awaitStarted();
        }

        // the first polls bring every backup in once, whichever node ran them
        int expectedBackups = SimulatedProviders.CLOUD66_BACKUPS + SimulatedProviders.VPROTECT_BACKUPS;
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("SELECT COUNT(*) FROM backups") == expectedBackups);

        // kill a node that holds copies in flight: Cloud66's downloads are held back until then, so a Cloud66 copy
        // claimed when the node is chosen is still its own, unfinished, when the kill lands a few milliseconds later
        String victim = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> scalar("SELECT MIN(x.claimed_by) FROM copies x JOIN backups b ON b.id = x.backup_id "
                        + "WHERE b.source = 'cloud66' AND x.status = 'pending' AND x.claimed_by IS NOT NULL "
                        + "AND x.claimed_until > CURRENT_TIMESTAMP"), claimer -> claimer != null);
        HubProcess killed = nodes.get(Integer.parseInt(victim.substring("node-".length())) - 1);
        killed.kill();
        long killedAt = System.currentTimeMillis();
        providers.cloud66.clearFaults();
        long claimedByVictim = count("SELECT COUNT(*) FROM copies WHERE claimed_by = '" + victim
                + "' AND status = 'pending'");
        assertTrue(claimedByVictim > 0, "the killed node held copies in flight");

        // the survivors keep polling: a backup that appears after the kill is taken in
        Instant later = Instant.parse("2026-10-20T02:00:00Z");
        providers.cloud66.addBackup("stk-b", 901, "redis", "cache", later, 0, 4096);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("SELECT COUNT(*) FROM backups WHERE provider_backup_id = '901'") == 1);

        // a second node killed in the middle of a poll (Cloud66 now answers its stack list slowly): the last node
        // polls on, each slot, and takes in a backup that appears after this kill too
        providers.cloud66.failAlways("/stacks$", Fault.delay(Duration.ofSeconds(3)));
        String poller = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> scalar("SELECT MIN(instance_name) FROM qrtz_fired_triggers "
                        + "WHERE job_name = 'cloud66-poll' AND state = 'EXECUTING'"), node -> node != null);
        nodes.get(Integer.parseInt(poller.substring("node-".length())) - 1).kill();
        long pollerKilledAt = System.currentTimeMillis();
        providers.cloud66.addBackup("stk-b", 902, "redis", "cache", later.plusSeconds(3600), 0, 2048);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("SELECT COUNT(*) FROM backups WHERE provider_backup_id = '902'") == 1);

        // every copy stored, the killed nodes' claims taken over once their lease ended
        try {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'") == 0
                            && count("SELECT COUNT(*) FROM copies") > 0
                            && count("SELECT COUNT(*) FROM copies x JOIN backups b ON b.id = x.backup_id "
                            + "WHERE b.provider_backup_id = '902' AND x.status = 'stored'") > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("copies not all stored: " + rows("SELECT status, claimed_by, last_error, "
                    + "COUNT(*) AS n FROM copies GROUP BY status, claimed_by, last_error"), e);
        }
        long ended = System.currentTimeMillis();

        // each poll slot once across the cluster, counted by the simulators and in the sync history. Around a kill a
        // slot may run twice: the killed node's trigger stays blocked until the survivors find the node dead (Quartz:
        // no check-in for an interval plus 7.5 s, seen at a survivor's next check-in), then the fire times it missed,
        // late by less than the misfire threshold, fire one after another, each poll taking its time
        long failover = 2 * CHECKIN_MS + 7500;
        List<Window> kills = List.of(new Window(killedAt - SLOT_MS, killedAt + failover + 3 * SLOT_MS),
                new Window(pollerKilledAt - SLOT_MS, pollerKilledAt + failover + 3 * SLOT_MS));
        assertOncePerSlot("cloud66 GET /stacks", providers.cloud66.requestTimes("/stacks$"), 0, kills);
        List<Map<String, Object>> runs = rows("SELECT source, node, started_at FROM sync_runs WHERE scope = 'all' "
                + "ORDER BY started_at");
        Set<String> pollersAfterKill = new TreeSet<>();
        Map<String, List<Long>> startsBySource = new TreeMap<>();
        for (Map<String, Object> run : runs) {
            long at = ((java.time.OffsetDateTime) run.get("started_at")).toInstant().toEpochMilli();
            startsBySource.computeIfAbsent((String) run.get("source"), k -> new ArrayList<>()).add(at);
            if (at > killedAt) {
                pollersAfterKill.add((String) run.get("node"));
            }
        }
        assertOncePerSlot("cloud66 syncs", startsBySource.get("cloud66"), 0, kills);
        assertOncePerSlot("vprotect syncs", startsBySource.get("vprotect"), 2000, kills);
        long slots = (ended - started) / SLOT_MS;
        assertTrue(runs.size() >= slots, runs.size() + " polls over " + slots + " slots of two sources: " + runs);
        assertTrue(!pollersAfterKill.isEmpty() && !pollersAfterKill.contains(victim),
                "the survivors poll after the kill: " + pollersAfterKill);
        assertTrue(runs.stream().anyMatch(run -> ((java.time.OffsetDateTime) run.get("started_at")).toInstant()
                        .toEpochMilli() > pollerKilledAt && !poller.equals(run.get("node")) && "cloud66".equals(run.get("source"))),
                "the killed poller's schedule fires on the last node: " + runs);

        // every backup once, every record stored once, each object with the hash the catalog holds
        assertEquals(0, count("SELECT COUNT(*) FROM (SELECT source, provider_backup_id FROM backups "
                + "GROUP BY source, provider_backup_id HAVING COUNT(*) > 1) d"));
        assertEquals(0, count("SELECT COUNT(*) FROM (SELECT record_id FROM copies GROUP BY record_id "
                + "HAVING COUNT(*) > 1) d"));
        Map<String, String> stored = new TreeMap<>();
        for (Map<String, Object> copy : rows("SELECT storage_key, sha256 FROM copies")) {
            stored.put((String) copy.get("storage_key"), (String) copy.get("sha256"));
        }
        Map<String, String> inBucket = new TreeMap<>();
        for (String key : s3.keys(BUCKET)) {
            inBucket.put(key.startsWith("hub/") ? key.substring("hub/".length()) : key, sha256(s3.read(BUCKET, key)));
        }
        Map<String, String> onlyInCatalog = new TreeMap<>(stored);
        onlyInCatalog.entrySet().removeAll(inBucket.entrySet());
        Map<String, String> onlyInBucket = new TreeMap<>(inBucket);
        onlyInBucket.entrySet().removeAll(stored.entrySet());
        assertEquals(Map.of(), onlyInCatalog, "the bucket holds each stored copy once, with its hash; in the bucket "
                + "and not in the catalog: " + onlyInBucket);
        assertEquals(Map.of(), onlyInBucket, "the bucket holds nothing else (a killed node's partial upload included)");

        // the figures of the run, for the README's scaling notes
        System.out.printf("cluster run: %d s, %d polls (by node %s), %d backups, %d copies stored (by node %s), "
                        + "%d claims of the killed %s taken over; take-over of its copies %d s after the kill%n",
                (ended - started) / 1000, runs.size(),
                rows("SELECT node, COUNT(*) AS n FROM sync_runs WHERE scope = 'all' GROUP BY node ORDER BY node"),
                count("SELECT COUNT(*) FROM backups"), stored.size(),
                nodes.stream().map(node -> node.log().lines().map(COPY_RUN::matcher).filter(java.util.regex.Matcher::find)
                        .mapToLong(run -> Long.parseLong(run.group(1))).sum()).toList(),
                claimedByVictim, victim, (ended - killedAt) / 1000);
        System.out.printf("second kill: %s in the middle of a Cloud66 poll; polls after it by %s%n", poller,
                runs.stream().filter(run -> ((java.time.OffsetDateTime) run.get("started_at")).toInstant().toEpochMilli()
                        > pollerKilledAt).map(run -> run.get("node")).distinct().toList());

        // the same data through one node ends with the same catalog and the same objects
        assertEquals(singleNode(), catalogSummary());
    }

    /** A span of time around the kill. */
    private record Window(long from, long to) {
        boolean contains(long slotStart) {
            return slotStart + SLOT_MS > from && slotStart < to;
        }
    }

    /**
     * One of {@code times} per slot of a 5-second schedule starting {@code offsetMs} into the slot: never two, except
     * at most two in a slot that overlaps the kill.
     */
    private static void assertOncePerSlot(String what, List<Long> times, long offsetMs, List<Window> kills) {
        assertTrue(times != null && !times.isEmpty(), what + ": none");
        Map<Long, Integer> bySlot = new TreeMap<>();
        for (long at : times) {
            bySlot.merge((at - offsetMs) / SLOT_MS, 1, Integer::sum);
        }
        bySlot.forEach((slot, n) -> assertTrue(n == 1 || n == 2 && kills.stream()
                        .anyMatch(kill -> kill.contains(slot * SLOT_MS + offsetMs)),
                what + ": slot starting " + Instant.ofEpochMilli(slot * SLOT_MS + offsetMs) + " ran " + n + " times "
                        + "(kills " + kills + ")"));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private Map<String, String> environment(int node) {
        Map<String, String> env = HubProcess.environment(dir.resolve("node-" + node), TestHub.freePort(), providers);
        env.put("HUB_NODE_NAME", "node-" + node);
        env.put("HUB_CLUSTER_ENABLED", "true");
        env.put("HUB_CLUSTER_CHECKIN_INTERVAL_MS", Long.toString(CHECKIN_MS));
        env.put("HUB_DB_URL", SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database);
        env.put("HUB_DB_USER", USER);
        env.put("HUB_DB_PASSWORD", PASSWORD);
        env.put("HUB_API_SECRET", "cluster-test-secret-0123456789");
        env.put("HUB_CLOUD66_SCHEDULE", "0/5 * * * * ?");
        env.put("HUB_VPROTECT_SCHEDULE", "2/5 * * * * ?");
        env.put("HUB_FANOUT_SCHEDULE", "1/2 * * * * ?");
        env.put("HUB_FANOUT_BATCH_SIZE", "4");
        env.put("HUB_FANOUT_LEASE_SECONDS", "10");
        env.put("HUB_STORAGE_TARGETS", "s3://" + BUCKET + "/hub");
        env.put("HUB_S3_ENDPOINT", s3.endpoint());
        env.put("HUB_S3_REGION", "us-east-1");
        env.put("HUB_S3_ACCESS_KEY", S3Server.ACCESS_KEY);
        env.put("HUB_S3_SECRET_KEY", S3Server.SECRET_KEY);
        env.put("HUB_S3_FORCE_PATH_STYLE", "true");
        // the SDK's newer default checksums are unknown to S3Proxy (as to many S3-compatible servers)
        env.put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        env.put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        return env;
    }

    /** The same simulators synced and copied by one hub on its own H2 catalog and its own bucket. */
    private Map<String, Object> singleNode() throws Exception {
        s3.createBucket("single");
        try (TestHub hub = s3.configure(providers.hubOn(dir.resolve("single")))
                .with("hub.storage.targets", "s3://single/hub")
                .with("hub.cloud66.download-hosts", "127.0.0.1").start()) {
            hub.sync("cloud66");
            hub.sync("vprotect");
            for (int run = 0; run < 50 && hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'") > 0; run++) {
                hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
            }
            return summary(hub.rows(BACKUPS_SUMMARY), hub.rows(COPIES_SUMMARY));
        }
    }

    private static final String BACKUPS_SUMMARY = "SELECT b.source, b.provider_backup_id, b.status, COUNT(r.id) AS records "
            + "FROM backups b LEFT JOIN records r ON r.backup_id = b.id GROUP BY b.source, b.provider_backup_id, b.status";
    /** Copies by what they are a copy of (ids and storage keys depend on the order of ingestion). */
    private static final String COPIES_SUMMARY = "SELECT b.source, b.provider_backup_id, r.name, x.sha256, x.size_bytes, "
            + "x.status FROM copies x JOIN records r ON r.id = x.record_id JOIN backups b ON b.id = x.backup_id";

    private Map<String, Object> catalogSummary() throws SQLException {
        return summary(rows(BACKUPS_SUMMARY), rows(COPIES_SUMMARY));
    }

    private static Map<String, Object> summary(List<Map<String, Object>> backups, List<Map<String, Object>> copies) {
        TreeSet<String> b = new TreeSet<>();
        backups.forEach(row -> b.add(row.get("source") + "/" + row.get("provider_backup_id") + " " + row.get("status")
                + " records=" + ((Number) row.get("records")).longValue()));
        TreeSet<String> c = new TreeSet<>();
        copies.forEach(row -> c.add(row.get("source") + "/" + row.get("provider_backup_id") + "/" + row.get("name") + " "
                + row.get("sha256") + " " + row.get("size_bytes") + " " + row.get("status")));
        return Map.of("backups", b, "copies", c);
    }

    private long count(String sql) throws SQLException {
        Object value = scalar(sql);
        return value == null ? 0 : ((Number) value).longValue();
    }

    @SuppressWarnings("unchecked")
    private <T> T scalar(String sql) throws SQLException {
        try (Connection c = catalog(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? (T) rs.getObject(1) : null;
        }
    }

    private List<Map<String, Object>> rows(String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = catalog(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    if (value instanceof java.sql.Timestamp ts) {
                        value = ts.toInstant().atOffset(java.time.ZoneOffset.UTC);
                    }
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private Connection catalog() throws SQLException {
        return DriverManager.getConnection(SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database, USER, PASSWORD);
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
