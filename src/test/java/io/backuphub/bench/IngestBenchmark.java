package io.backuphub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.catalog.BackupStatus;
import io.backuphub.catalog.BackupType;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogRecord;
import io.backuphub.demo.Fault;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.demo.vprotect.VProtectSimulator;
import io.backuphub.provider.SyncRun;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest throughput against the raw floor measured in the same process: a plain HTTP client listing and parsing the
 * same backups in pages of 1,000 (no catalog). Not part of the test suite (the class name does not end in Test); run
 * it with {@code mvn -o test -Dtest=IngestBenchmark -Dbench.backups=100000} ({@code -Dbench.catalog-sizes=10000,
 * 100000,1000000} for the no-change poll). Prints a human table and one line per figure:
 * {@code BENCH|<figure>|<hub value>|<floor value>|<unit>|<ratio>}; the ingest rate against catalog size goes to
 * {@code target/bench/ingest-rate.csv}.
 */
class IngestBenchmark {

    private static final int BACKUPS = Integer.getInteger("bench.backups", 5_000);
    private static final int PAGE = 1_000;
    /** Protected entities the simulated backups are spread over (one instance each). */
    private static final int ENTITIES = 100;
    private static final List<Integer> CATALOG_SIZES = Arrays.stream(
                    System.getProperty("bench.catalog-sizes", "10000,100000").split(","))
            .map(String::trim).map(Integer::valueOf).toList();
    /** H2 settings appended to the catalog's URL ({@code -Dbench.db-options=CACHE_SIZE=65536}), to measure them. */
    private static final String DB_OPTIONS = System.getProperty("bench.db-options", "");
    /** {@code -Dbench.identity-cache=32}: the per-backup tables' identities with H2's default cache, to compare. */
    private static final String IDENTITY_CACHE = System.getProperty("bench.identity-cache", "");
    /** How long the slow vProtect takes to answer each page ({@code -Dbench.vprotect.latency-ms=200}). */
    private static final int LATENCY_MS = Integer.getInteger("bench.vprotect.latency-ms", 200);
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void vprotectFirstSyncAgainstTheRawFloor(@TempDir Path dataDir) throws Exception {
        try (VProtectSimulator vprotect = new VProtectSimulator("bench", "bench").start()) {
            seedVProtect(vprotect, BACKUPS);
            double floor = vprotectFloor(vprotect);

            TestHub.Builder builder = vprotectHub(dataDir, vprotect);
            if (!DB_OPTIONS.isEmpty()) { // H2 settings to measure, after the default URL's
                builder.with("hub.db.url", "jdbc:h2:retry:" + dataDir + "/catalog;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;"
                        + "QUERY_CACHE_SIZE=64;" + DB_OPTIONS);
            }
            try (TestHub hub = builder.start()) {
                if (!IDENTITY_CACHE.isEmpty()) {
                    hub.catalog().jdbi().useHandle(h -> {
                        for (String table : List.of("backups", "records", "copies", "instance_logs",
                                "notification_deliveries")) {
                            h.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE " + IDENTITY_CACHE);
                        }
                    });
                }
                vprotect.resetRequestCounts();
                Map<String, Long> rowsBefore = rowsPerTable(hub);
                long databaseBefore = databaseBytes(dataDir);
                AtomicLong statements = new AtomicLong();
                hub.catalog().jdbi().setSqlLogger(new SqlLogger() {
                    @Override
                    public void logAfterExecution(StatementContext context) {
                        statements.incrementAndGet();
                    }
                });
                resetRouteStatistics(hub.context());
                long t0 = System.nanoTime();
                SyncRun first = hub.sync("vprotect");
                double firstSync = (System.nanoTime() - t0) / 1e9;
                hub.catalog().jdbi().setSqlLogger(SqlLogger.NOP_SQL_LOGGER);
                assertEquals(BACKUPS, first.newCount(), "every backup ingested: " + first.error());
                int firstRequests = vprotect.requestCount("GET", "/api/backups.*");
                long copies = hub.count("SELECT COUNT(*) FROM copies");
                Map<String, Long> rowsAfter = rowsPerTable(hub);
                long rowsWritten = 0;
                StringBuilder rowsByTable = new StringBuilder();
                for (Map.Entry<String, Long> table : rowsAfter.entrySet()) {
                    long added = table.getValue() - rowsBefore.getOrDefault(table.getKey(), 0L);
                    if (added > 0) {
                        rowsWritten += added;
                        rowsByTable.append(rowsByTable.isEmpty() ? "" : ", ").append(table.getKey()).append(' ')
                                .append(String.format("%.2f", (double) added / BACKUPS));
                    }
                }
                long databaseGrowth = databaseBytes(dataDir) - databaseBefore;

                vprotect.resetRequestCounts();
                List<Double> polls = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    polls.add(seconds(() -> assertTrue(hub.sync("vprotect").succeeded())));
                }
                int pollRequests = vprotect.requestCount("GET", "/api/backups.*") / 5;

                System.out.printf("%nvProtect, %,d backups over %d protected entities, pages of %,d, fan-out on "
                        + "(%,d copies queued)%n", BACKUPS, ENTITIES, PAGE, copies);
                row("raw floor: list + parse /backups/detailed", floor, floor);
                row("hub first sync (" + firstRequests + " listing requests)", firstSync, floor);
                row("hub no-change poll (" + pollRequests + " request(s), median of 5)", median(polls), floor);
                System.out.println("  time by route in the first sync (a route's time includes the routes it calls): "
                        + routeTimes(hub.context()));
                System.out.printf("  per backup: %.2f rows (%s), %.3f SQL statements (batches count once); "
                                + "the database file grew %,.0f MB (%,.0f bytes a backup)%n", (double) rowsWritten / BACKUPS,
                        rowsByTable, (double) statements.get() / BACKUPS, databaseGrowth / 1e6,
                        (double) databaseGrowth / BACKUPS);
                bench("vprotect-first-sync-seconds", firstSync, floor, "s");
                bench("vprotect-first-sync-rate", BACKUPS / firstSync, BACKUPS / floor, "backups/s");
                bench("vprotect-first-sync-requests", firstRequests, Math.ceil((double) BACKUPS / PAGE), "requests");
                bench("vprotect-first-sync-rows-per-backup", (double) rowsWritten / BACKUPS, Double.NaN, "rows");
                bench("vprotect-first-sync-statements-per-backup", (double) statements.get() / BACKUPS, Double.NaN,
                        "statements");
                bench("vprotect-first-sync-database-bytes-per-backup", (double) databaseGrowth / BACKUPS, Double.NaN,
                        "bytes");
                bench("vprotect-no-change-poll", median(polls) * 1000, Double.NaN, "ms");
                bench("vprotect-no-change-poll-requests", pollRequests, 1, "requests");
            }
        }
    }

    /**
     * The same first sync with the catalog on PostgreSQL, in a database made for the run and dropped after it: runs
     * when {@code -Dbench.postgres-url} names a server's database where {@code bench.postgres-user} may create
     * databases (scripts/bench.sh passes HUB_TEST_POSTGRES_URL and HUB_TEST_POSTGRES_USER).
     */
    @Test
    void vprotectFirstSyncOnPostgreSqlAgainstTheRawFloor(@TempDir Path dataDir) throws Exception {
        String server = System.getProperty("bench.postgres-url", "");
        Assumptions.assumeTrue(server.startsWith("jdbc:postgresql:"), "no PostgreSQL server given");
        String user = System.getProperty("bench.postgres-user", "postgres");
        String password = System.getProperty("bench.postgres-password", "");
        String database = "hub_bench_" + Long.toHexString(System.nanoTime());
        try (Connection admin = DriverManager.getConnection(server, user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
            try (VProtectSimulator vprotect = new VProtectSimulator("bench", "bench").start()) {
                seedVProtect(vprotect, BACKUPS);
                double floor = vprotectFloor(vprotect);
                try (TestHub hub = vprotectHub(dataDir, vprotect)
                        .with("hub.db.url", server.substring(0, server.lastIndexOf('/') + 1) + database)
                        .with("hub.db.user", user).with("hub.db.password", password).start()) {
                    resetRouteStatistics(hub.context());
                    long t0 = System.nanoTime();
                    SyncRun first = hub.sync("vprotect");
                    double firstSync = (System.nanoTime() - t0) / 1e9;
                    assertEquals(BACKUPS, first.newCount(), "every backup ingested: " + first.error());
                    System.out.printf("%nvProtect on PostgreSQL, %,d backups, pages of %,d, fan-out on%n", BACKUPS, PAGE);
                    row("raw floor: list + parse /backups/detailed", floor, floor);
                    row("hub first sync, catalog on PostgreSQL", firstSync, floor);
                    System.out.println("  time by route in the first sync: " + routeTimes(hub.context()));
                    bench("vprotect-first-sync-rate-postgresql", BACKUPS / firstSync, BACKUPS / floor, "backups/s");
                }
            } finally {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /**
     * The same first sync from a vProtect that takes {@code bench.vprotect.latency-ms} (200) to answer each page, as a
     * server building a page of a thousand backups' details does: the floor, a plain client reading the pages one
     * after the other, waits that long per page; the hub asks for the next page while it writes the one before, so
     * the provider's time and the catalog's overlap.
     */
    @Test
    void vprotectFirstSyncFromAProviderThatTakesItsTimeAgainstTheRawFloor(@TempDir Path dataDir) throws Exception {
        try (VProtectSimulator vprotect = new VProtectSimulator("bench", "bench").start()) {
            seedVProtect(vprotect, BACKUPS);
            vprotect.failAlways("^/api/backups/detailed$", Fault.delay(Duration.ofMillis(LATENCY_MS)));
            double floor = vprotectFloor(vprotect);
            try (TestHub hub = vprotectHub(dataDir, vprotect).start()) {
                resetRouteStatistics(hub.context());
                long t0 = System.nanoTime();
                SyncRun first = hub.sync("vprotect");
                double firstSync = (System.nanoTime() - t0) / 1e9;
                assertEquals(BACKUPS, first.newCount(), "every backup ingested: " + first.error());
                System.out.printf("%nvProtect answering each page after %d ms, %,d backups, pages of %,d, fan-out on%n",
                        LATENCY_MS, BACKUPS, PAGE);
                row("raw floor: list + parse /backups/detailed, page after page", floor, floor);
                row("hub first sync", firstSync, floor);
                System.out.println("  time by route in the first sync: " + routeTimes(hub.context()));
                bench("vprotect-first-sync-slow-provider-seconds", firstSync, floor, "s");
            }
        }
    }

    @Test
    void cloud66FirstSyncAgainstTheRawFloor(@TempDir Path dataDir) throws Exception {
        try (Cloud66Simulator cloud66 = new Cloud66Simulator("bench").start()) {
            cloud66.setRateLimit(Integer.MAX_VALUE);
            cloud66.addStack("stk", "bench");
            for (int i = 1; i <= BACKUPS; i++) {
                cloud66.addBackup("stk", i, "mysql", "db", START.plusSeconds(60L * i), 0, 1000 + i);
            }
            double floor = seconds(() -> readCloud66Listing(cloud66));

            try (TestHub hub = TestHub.on(dataDir).cloud66(cloud66.baseUrl(), "bench")
                    .with("hub.cloud66.requests-per-hour", "100000000").start()) {
                resetRouteStatistics(hub.context());
                long t0 = System.nanoTime();
                assertEquals(BACKUPS, hub.sync("cloud66").newCount());
                double fullWalk = (System.nanoTime() - t0) / 1e9;
                String routeTimes = routeTimes(hub.context());

                cloud66.resetRequestCounts();
                t0 = System.nanoTime();
                hub.sync("cloud66");
                double quietWalk = (System.nanoTime() - t0) / 1e9;
                int quietRequests = cloud66.requestCount("/stacks/stk/backups$");

                System.out.printf("%nCloud66, %,d backups of one database%n", BACKUPS);
                row("raw floor: list + parse every page", floor, floor);
                row("hub first sync, full walk (list + files + insert)", fullWalk, floor);
                row("hub next sync, quiet walk (" + quietRequests + " list requests)", quietWalk, floor);
                System.out.println("  time by route in the first sync: " + routeTimes);
                bench("cloud66-first-sync-seconds", fullWalk, floor, "s");
                bench("cloud66-first-sync-rate", BACKUPS / fullWalk, BACKUPS / floor, "backups/s");
                bench("cloud66-no-change-poll", quietWalk * 1000, Double.NaN, "ms");
                bench("cloud66-no-change-poll-requests", quietRequests, 1, "requests");
            }
        }
    }

    /**
     * The no-change poll of a vProtect connection as the catalog grows (rows seeded with the page ingest itself),
     * and the page ingest's rate per step of the catalog's size (target/bench/ingest-rate.csv).
     */
    @Test
    void noChangePollAndIngestRateAgainstCatalogSize(@TempDir Path dataDir) throws Exception {
        try (VProtectSimulator vprotect = new VProtectSimulator("bench", "bench").start()) {
            seedVProtect(vprotect, PAGE);
            try (TestHub hub = vprotectHub(dataDir, vprotect).start()) {
                assertTrue(hub.sync("vprotect").succeeded());
                Catalog catalog = hub.catalog();
                long seeded = hub.count("SELECT COUNT(*) FROM backups");
                int step = 100_000;
                List<String> csv = new ArrayList<>(List.of("catalog_backups,backups_per_s"));
                System.out.printf("%nNo-change vProtect poll against catalog size (seeded with the page ingest)%n");
                for (int size : CATALOG_SIZES) {
                    while (seeded < size) {
                        int n = (int) Math.min(Math.min(step, size - seeded), Integer.MAX_VALUE);
                        long from = seeded;
                        double took = seconds(() -> seedCatalog(catalog, from, n));
                        seeded += n;
                        csv.add(seeded + "," + Math.round(n / took));
                        System.out.printf("  page ingest up to %,9d backups: %,8.0f backups/s%n", seeded, n / took);
                    }
                    vprotect.resetRequestCounts();
                    List<Double> polls = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        polls.add(seconds(() -> assertTrue(hub.sync("vprotect").succeeded())));
                    }
                    double ms = median(polls) * 1000;
                    System.out.printf("  %,9d backups in the catalog: no-change poll %6.1f ms, %d request(s)%n", seeded,
                            ms, vprotect.requestCount("GET", "/api/backups.*") / 5);
                    bench("no-change-poll-" + seeded, ms, 300, "ms");
                }
                Path out = Path.of("target", "bench");
                Files.createDirectories(out);
                Files.write(out.resolve("ingest-rate.csv"), csv);
                // the known-backups query must stay an index lookup whatever the catalog's size
                for (Map<String, Object> plan : hub.rows("EXPLAIN SELECT b.id, b.fingerprint FROM (VALUES "
                        + "(CAST('seed-1' AS VARCHAR(200))), (CAST('seed-2' AS VARCHAR(200)))) v(pid) JOIN backups b "
                        + "ON b.source = 'vprotect' AND b.provider_backup_id = v.pid")) {
                    System.out.println("  plan of the known-backups query: " + plan.values().iterator().next()
                            .toString().replace('\n', ' '));
                }
            }
        }
    }

    /** A hub polling the benchmark's vProtect simulator in pages of {@value #PAGE}, with a budget that never waits. */
    private static TestHub.Builder vprotectHub(Path dataDir, VProtectSimulator vprotect) {
        return TestHub.on(dataDir).vprotect(vprotect.baseUrl(), "bench", "bench")
                .with("hub.vprotect.page-size", Integer.toString(PAGE))
                .with("hub.vprotect.requests-per-hour", "1000000");
    }

    /** Starts the routes' statistics from zero, for {@link #routeTimes} to tell what one sync took. */
    private static void resetRouteStatistics(CamelContext context) throws Exception {
        context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class).getManagedCamelContext()
                .reset(true);
    }

    /** The raw floor: the best of two plain reads of the whole detailed listing, after one to warm up (JIT, renders). */
    private static double vprotectFloor(VProtectSimulator vprotect) throws Exception {
        readVProtectDetailed(vprotect);
        return Math.min(seconds(() -> readVProtectDetailed(vprotect)), seconds(() -> readVProtectDetailed(vprotect)));
    }

    /** The routes that took the most time since the statistics were reset: id, total ms, exchanges. */
    private static String routeTimes(CamelContext context) {
        ManagedCamelContext managed = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        return context.getRoutes().stream().map(route -> managed.getManagedRoute(route.getRouteId()))
                .filter(route -> route != null && route.getTotalProcessingTime() > 0)
                .sorted(Comparator.comparingLong(ManagedRouteMBean::getTotalProcessingTime).reversed())
                .limit(10)
                .map(route -> String.format("%s %,d ms (%d)", route.getRouteId(), route.getTotalProcessingTime(),
                        route.getExchangesTotal()))
                .collect(Collectors.joining(", "));
    }

    /** The rows of each table of the catalog (the hub's own tables, not Quartz's nor Flyway's). */
    private static Map<String, Long> rowsPerTable(TestHub hub) {
        Map<String, Long> rows = new TreeMap<>();
        for (Map<String, Object> table : hub.rows("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'")) {
            String name = table.values().iterator().next().toString().toLowerCase(Locale.ROOT);
            if (!name.startsWith("qrtz_") && !name.startsWith("flyway")) {
                rows.put(name, hub.count("SELECT COUNT(*) FROM " + name));
            }
        }
        return rows;
    }

    /** The size of the H2 database files in the data folder. */
    private static long databaseBytes(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".mv.db")).mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    /** Synthetic vProtect backups of the connection, written with the page ingest in pages of 1,000. */
    private static void seedCatalog(Catalog catalog, long from, int count) {
        for (int done = 0; done < count; done += PAGE) {
            List<CatalogBackup> page = new ArrayList<>(PAGE);
            for (long i = from + done; i < from + Math.min(count, done + PAGE); i++) {
                String guid = "seed-" + i;
                String entity = "seed-entity-" + (i % ENTITIES);
                OffsetDateTime at = START.minusSeconds(i).atOffset(ZoneOffset.UTC);
                page.add(new CatalogBackup("vprotect", "default", "vprotect-vm", "vProtect VM", entity, entity,
                        Map.of("protected_entity_guid", entity, "protected_entity_name", entity,
                                "protected_entity_type", "VM"),
                        guid, BackupStatus.COMPLETED, BackupType.FULL, at, at, 1000L, List.of(), null,
                        "fingerprint-" + i, List.of(new CatalogRecord("manifest",
                        "The backup's details as vProtect reports them", "manifest", "backup-" + guid + ".json",
                        "application/json", null, "{\"guid\":\"" + guid + "\"}")), "SUCCESS", List.of()));
            }
            catalog.ingestPage(page);
        }
    }

    private static void seedVProtect(VProtectSimulator vprotect, int backups) {
        for (int e = 0; e < ENTITIES; e++) {
            vprotect.addProtectedEntity("vm-" + e, "vm-" + e, "VM");
        }
        for (int i = 0; i < backups; i++) {
            vprotect.addBackup("vm-" + (i % ENTITIES), "b-" + i, "SUCCESS", "FULL", START.plusSeconds(60L * i), 1000 + i);
        }
    }

    /** The floor: log in, then every page of the detailed listing, parsed, with a plain client. */
    private static void readVProtectDetailed(VProtectSimulator vprotect) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .cookieHandler(new java.net.CookieManager()).build();
        http.send(HttpRequest.newBuilder(URI.create(vprotect.baseUrl() + "/session/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"bench\",\"password\":\"bench\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        int read = 0;
        for (int page = 0; read < BACKUPS; page++) {
            JsonNode items = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(vprotect.baseUrl()
                    + "/backups/detailed?from=0&size=" + PAGE + "&orderBy=snapshotTime&direction=asc&page=" + page))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            if (items.isEmpty()) {
                throw new IOException("the listing ended after " + read + " backups");
            }
            read += items.size();
        }
    }

    private static void readCloud66Listing(Cloud66Simulator cloud66) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Integer page = 1;
        while (page != null) {
            JsonNode body = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(cloud66.baseUrl()
                    + "/stacks/stk/backups?page=" + page)).header("Authorization", "Bearer bench").build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode next = body.path("pagination").path("next");
            page = next.canConvertToInt() ? next.asInt() : null;
        }
    }

    private static void row(String what, double seconds, double floor) {
        System.out.printf("  %-60s %8.2f s  %6.1f x floor  %9.0f backups/s%n", what, seconds, seconds / floor,
                BACKUPS / seconds);
    }

    /** One machine-readable line per figure: BENCH|figure|hub|floor|unit|ratio. */
    private static void bench(String figure, double hub, double floor, String unit) {
        String ratio = Double.isNaN(floor) || floor == 0 ? "" : String.format("%.2f", hub / floor);
        System.out.printf("BENCH|%s|%.2f|%s|%s|%s%n", figure, hub, Double.isNaN(floor) ? "" : String.format("%.2f", floor),
                unit, ratio);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double seconds(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
