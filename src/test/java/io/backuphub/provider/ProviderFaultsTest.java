package io.backuphub.provider;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.backuphub.TestHub;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.VPROTECT_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.vprotectGuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider side under faults: both simulators answer one request in five (seeded, so every run sees the same
 * faults) with a 429 with or without Retry-After, a 5xx, a dropped connection, an answer slower than the hub's
 * read timeout or a body cut off halfway, and vProtect also forgets its sessions mid-paging. A sync under those
 * faults must end with the catalog a fault-free sync of the same data gives, row for row.
 */
class ProviderFaultsTest {

    private static final double RATE = 0.2;
    private static final long SEED = 20261130L;
    /** The hub's read timeout in this test; a slow answer takes longer than that. */
    private static final int READ_TIMEOUT_MS = 1000;
    private static final List<Fault> FAULTS = List.of(
            Fault.tooManyRequests(1),
            Fault.tooManyRequests(null),
            Fault.status(500),
            Fault.status(502),
            Fault.status(503),
            Fault.connectionReset(),
            Fault.delay(Duration.ofMillis(3 * READ_TIMEOUT_MS)),
            Fault.cutBody());

    @TempDir
    Path faultFreeDir;

    @TempDir
    Path faultyDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    private TestHub.Builder hubOn(Path dataDir) {
        return providers.hubOn(dataDir)
                .with("camel.component.http.so-timeout", Integer.toString(READ_TIMEOUT_MS))
                .with("camel.component.http.response-timeout", Integer.toString(READ_TIMEOUT_MS))
                .with("hub.http.max-redeliveries", "10")
                .with("hub.http.redelivery-delay-ms", "10")
                .with("hub.http.max-redelivery-delay-ms", "20");
    }

    @Test
    void aSyncUnderOneFaultInFiveRequestsEndsWithTheSameCatalogAsAFaultFreeSync() {
        Map<String, List<Map<String, Object>>> expected;
        // vProtect in pages of 1: enough listing requests (the details come with the listing) for every fault to play
        try (TestHub hub = hubOn(faultFreeDir).with("hub.vprotect.page-size", "1").start()) {
            assertTrue(hub.sync("cloud66").succeeded());
            assertTrue(hub.sync("vprotect").succeeded());
            expected = catalog(hub);
        }
        assertEquals(CLOUD66_BACKUPS + VPROTECT_BACKUPS, expected.get("backups").size());
        providers.cloud66.failRandomly("", RATE, SEED, FAULTS);
        List<Fault> withSessions = new ArrayList<>(FAULTS);
        withSessions.add(Fault.expireSession());
        providers.vprotect.failRandomly("", RATE, SEED + 1, withSessions);

        try (TestHub hub = hubOn(faultyDir).with("hub.vprotect.page-size", "1").start()) {
            SyncRun cloud66 = hub.sync("cloud66");
            SyncRun vprotect = hub.sync("vprotect");

            assertTrue(cloud66.succeeded(), String.valueOf(cloud66.error()));
            assertTrue(vprotect.succeeded(), String.valueOf(vprotect.error()));
            assertEquals(CLOUD66_BACKUPS, cloud66.newCount());
            assertEquals(VPROTECT_BACKUPS, vprotect.newCount());
            Map<String, List<Map<String, Object>>> actual = catalog(hub);
            for (String table : expected.keySet()) {
                assertEquals(expected.get(table), actual.get(table), table + " differ");
            }
        }

        Map<String, Integer> injected = new TreeMap<>(providers.cloud66.injectedFaults());
        providers.vprotect.injectedFaults().forEach((fault, n) -> injected.merge(fault, n, Integer::sum));
        for (Fault fault : withSessions) {
            String name = fault instanceof Enum<?> e ? e.getDeclaringClass().getSimpleName() : fault.toString();
            assertTrue(injected.getOrDefault(name, 0) > 0, "every kind of fault was played at least once: " + injected);
        }
    }

    @Test
    void aVProtectSessionThatExpiresOnTheFirstThreePagesIsRenewedEachTimeAndTheSyncCompletes() {
        for (int page = 0; page < 3; page++) {
            // the page's first request finds the session gone; its repeat after the new login is answered
            providers.vprotect.failNext("^/api/backups/detailed$", 1, Fault.expireSession());
            providers.vprotect.failNext("^/api/backups/detailed$", 1, Fault.delay(Duration.ZERO));
        }
        try (TestHub hub = hubOn(faultyDir).start()) {
            SyncRun run = hub.sync("vprotect");

            assertTrue(run.succeeded(), String.valueOf(run.error()));
            assertEquals(VPROTECT_BACKUPS, run.newCount());
            assertEquals(1 + 3, providers.vprotect.requestCount("POST", "/api/session/login$"),
                    "logged in once, then again after each expiry");
            assertEquals(6 + 3, providers.vprotect.requestCount("GET", "^/api/backups/detailed$"), "6 pages, 3 of them twice");
            assertEquals(List.of(), hub.rows("SELECT * FROM ingest_rejects"));
            assertEquals(vprotectGuid(VPROTECT_BACKUPS - 1), hub.rows("SELECT provider_backup_id FROM backups "
                    + "WHERE provider = 'vprotect' ORDER BY started_at DESC").get(0).get("provider_backup_id"));
        }
    }

    @Test
    void aSessionThatExpiresWhileACallIsRetriedAfterA5xxIsStillRenewed() {
        providers.vprotect.failNext("^/api/backups/detailed$", 2, Fault.status(502));
        providers.vprotect.failNext("^/api/backups/detailed$", 1, Fault.expireSession());
        try (TestHub hub = hubOn(faultyDir).with("hub.http.max-redeliveries", "3").start()) {
            SyncRun run = hub.sync("vprotect");

            assertTrue(run.succeeded(), String.valueOf(run.error()));
            assertEquals(VPROTECT_BACKUPS, run.newCount());
            assertEquals(4 + 5, providers.vprotect.requestCount("GET", "^/api/backups/detailed$"),
                    "the first page 502, 502, 401, 200; the 5 others once");
            assertEquals(2, providers.vprotect.requestCount("POST", "/api/session/login$"));
        }
    }

    @Test
    void aCutOffBodyAndADroppedConnectionAreRetriedLikeA5xx() {
        providers.cloud66.failNext("/stacks/stk-a/backups$", 1, Fault.cutBody());
        providers.cloud66.failNext("/stacks/stk-b/backups$", 1, Fault.connectionReset());
        providers.vprotect.failNext("^/api/backups/detailed$", 1, Fault.cutBody());
        providers.vprotect.failNext("^/api/session/login$", 1, Fault.connectionReset());
        try (TestHub hub = hubOn(faultyDir).start()) {
            SyncRun cloud66 = hub.sync("cloud66");
            SyncRun vprotect = hub.sync("vprotect");

            assertTrue(cloud66.succeeded(), String.valueOf(cloud66.error()));
            assertTrue(vprotect.succeeded(), String.valueOf(vprotect.error()));
            assertEquals(CLOUD66_BACKUPS + VPROTECT_BACKUPS, hub.catalog().count("backups"));
            assertEquals(Map.of("ConnectionReset", 1, "CutBody", 1), providers.cloud66.injectedFaults());
            assertEquals(Map.of("ConnectionReset", 1, "CutBody", 1), providers.vprotect.injectedFaults());
        }
    }

    @Test
    void a429WithRetryAfterIsRetriedNoSoonerThanItSaysAndOneWithoutItIsRetriedToo() {
        providers.vprotect.failNext("^/api/backups/detailed$", 1, Fault.tooManyRequests(3));
        providers.cloud66.failNext("/stacks$", 1, Fault.tooManyRequests(null));
        try (TestHub hub = hubOn(faultyDir).start()) {
            SyncRun vprotect = hub.sync("vprotect");
            SyncRun cloud66 = hub.sync("cloud66");

            assertTrue(vprotect.succeeded(), String.valueOf(vprotect.error()));
            assertTrue(cloud66.succeeded(), String.valueOf(cloud66.error()));
            List<Long> pages = providers.vprotect.requestTimes("^/api/backups/detailed$");
            long waitedMs = pages.get(1) - pages.get(0);
            assertTrue(waitedMs >= 3000, "Retry-After: 3 honoured, waited " + waitedMs + " ms");
            assertTrue(waitedMs < 10_000, "and not much longer: " + waitedMs + " ms");
            assertEquals(2, providers.cloud66.requestCount("/stacks$"));
        }
    }

    /** The catalog as rows without the hub's own ids and times: what a client of the API can see of it. */
    private static Map<String, List<Map<String, Object>>> catalog(TestHub hub) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        tables.put("backup_instances", hub.rows("SELECT i.provider, i.source_key, i.source_json, i.name, "
                + "i.backup_definition_id, i.status, i.last_backup_at, c.name AS customer FROM backup_instances i "
                + "JOIN customers c ON c.id = i.customer_id ORDER BY i.provider, i.source_key"));
        tables.put("backups", hub.rows("SELECT b.provider, b.provider_backup_id, i.source_key, b.status, b.type, "
                + "b.started_at, b.completed_at, b.size_bytes, b.warnings_json, b.status_detail, b.fingerprint, "
                + "b.provider_status, b.unknown_values FROM backups b JOIN backup_instances i ON i.id = b.backup_instance_id "
                + "ORDER BY b.provider, b.provider_backup_id"));
        tables.put("records", hub.rows("SELECT b.provider, b.provider_backup_id, r.endpoint_name, r.provider_record_id, "
                + "r.name, r.content_type, r.size_bytes, r.sha256 FROM records r JOIN backups b ON b.id = r.backup_id "
                + "ORDER BY b.provider, b.provider_backup_id, r.endpoint_name, r.provider_record_id"));
        tables.put("endpoints", hub.rows("SELECT i.source_key, e.name, e.description FROM endpoints e "
                + "JOIN backup_instances i ON i.id = e.backup_instance_id ORDER BY i.source_key, e.name"));
        // a full walk's cursor is the time it ended; the other cursors come from the provider's data
        tables.put("sync_cursors", hub.rows("SELECT source, scope, CASE WHEN scope LIKE 'full-walk:%' THEN 'a time' "
                + "ELSE cursor_value END AS cursor_value FROM sync_cursors ORDER BY source, scope"));
        tables.put("ingest_rejects", hub.rows("SELECT * FROM ingest_rejects"));
        return tables;
    }
}
