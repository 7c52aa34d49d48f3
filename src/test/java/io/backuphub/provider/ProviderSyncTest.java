package io.backuphub.provider;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.backuphub.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.VPROTECT_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.vprotectGuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real routes poll both simulators over HTTP into the H2 catalog. */
class ProviderSyncTest {

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    @Test
    void everyBackupLandsOnceWithItsInstanceStatusTypeSizeAndRecords() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            SyncRun cloud66 = hub.sync("cloud66");
            SyncRun vprotect = hub.sync("vprotect");

            assertEquals(CLOUD66_BACKUPS, cloud66.newCount());
            assertEquals(VPROTECT_BACKUPS, vprotect.newCount());
            assertEquals(CLOUD66_BACKUPS, hub.count("SELECT COUNT(*) FROM backups WHERE provider = 'cloud66'"));
            assertEquals(VPROTECT_BACKUPS, hub.count("SELECT COUNT(*) FROM backups WHERE provider = 'vprotect'"));

            // Cloud66: one instance per (stack, db_type, database)
            assertEquals(List.of(
                            Map.of("name", "Blog cache (redis)", "backup_definition_id", "cloud66-redis", "n", 15L),
                            Map.of("name", "Shop analytics (postgresql)", "backup_definition_id", "cloud66-postgresql", "n", 10L),
                            Map.of("name", "Shop shop_db (mysql)", "backup_definition_id", "cloud66-mysql", "n", 20L)),
                    hub.rows("SELECT i.name, i.backup_definition_id, COUNT(b.id) AS n FROM backup_instances i "
                            + "JOIN backups b ON b.backup_instance_id = i.id WHERE i.provider = 'cloud66' "
                            + "GROUP BY i.id, i.name, i.backup_definition_id ORDER BY i.name")
                            .stream().map(r -> Map.of("name", r.get("name"), "backup_definition_id",
                                    r.get("backup_definition_id"), "n", ((Number) r.get("n")).longValue())).toList());
            Map<String, Object> failed = hub.rows("SELECT status, type, size_bytes FROM backups "
                    + "WHERE provider = 'cloud66' AND provider_backup_id = '9'").get(0);
            assertEquals("failed", failed.get("status"));
            assertEquals("full", failed.get("type"));
            assertEquals(9000L, ((Number) failed.get("size_bytes")).longValue());
            assertEquals(List.of("shop_db_3.sql.gz", "shop_db_3.tar"), hub.rows("SELECT r.name FROM records r "
                    + "JOIN backups b ON b.id = r.backup_id WHERE b.provider_backup_id = '3' AND r.endpoint_name = 'files' "
                    + "ORDER BY r.name").stream().map(r -> r.get("name")).toList());
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM backups b WHERE b.provider = 'cloud66' AND b.status = 'completed' "
                    + "AND NOT EXISTS (SELECT 1 FROM records r WHERE r.backup_id = b.id)"), "every good Cloud66 backup has its files");

            // vProtect: one instance per protected entity, statuses mapped onto the contract
            assertEquals(List.of("vprotect-app", "vprotect-vm", "vprotect-vm"), hub.rows("SELECT backup_definition_id "
                    + "FROM backup_instances WHERE provider = 'vprotect' ORDER BY backup_definition_id")
                    .stream().map(r -> r.get("backup_definition_id")).toList());
            Map<String, Object> statuses = hub.rows("SELECT provider_backup_id, status FROM backups WHERE provider = 'vprotect'")
                    .stream().collect(Collectors.toMap(r -> (String) r.get("provider_backup_id"), r -> r.get("status")));
            assertEquals(providers.expectedVProtectStatus, statuses);
            Map<String, Object> sixth = hub.rows("SELECT b.type, b.size_bytes, i.name FROM backups b JOIN backup_instances i "
                    + "ON i.id = b.backup_instance_id WHERE b.provider_backup_id = '" + vprotectGuid(6) + "'").get(0);
            assertEquals("web-01", sixth.get("name"));
            assertEquals("incremental", sixth.get("type"));
            assertEquals(1_000_006L, ((Number) sixth.get("size_bytes")).longValue());
            assertEquals(VPROTECT_BACKUPS, hub.count("SELECT COUNT(*) FROM records WHERE endpoint_name = 'manifest'"));
            assertEquals(List.of("disk0.qcow2", "disk1.qcow2"), hub.rows("SELECT r.name FROM records r JOIN backups b "
                    + "ON b.id = r.backup_id WHERE b.provider_backup_id = '" + vprotectGuid(6) + "' AND r.endpoint_name = 'files' "
                    + "ORDER BY r.name").stream().map(r -> r.get("name")).toList());
        }
    }

    @Test
    void pollingTheSameDataTwiceChangesNothingAndSkipsTheDetailCalls() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("cloud66");
            hub.sync("vprotect");
            List<Map<String, Object>> before = hub.rows("SELECT * FROM backups ORDER BY id");
            providers.cloud66.resetRequestCounts();
            providers.vprotect.resetRequestCounts();

            SyncRun cloud66 = hub.sync("cloud66");
            SyncRun vprotect = hub.sync("vprotect");

            assertEquals(0, cloud66.newCount() + cloud66.updatedCount());
            assertEquals(0, vprotect.newCount() + vprotect.updatedCount());
            assertEquals(before, hub.rows("SELECT * FROM backups ORDER BY id"));
            assertEquals(0, providers.cloud66.requestCount(".*/files.*"), "no files fetched for known backups");
            assertEquals(0, providers.vprotect.requestCount("/api/backups/(?!detailed$)[^/]+"),
                    "no detail call per backup (the detailed listing has them)");
        }
    }

    @Test
    void aSecondPollWithOneStatusChangeUpdatesExactlyThatRow() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("cloud66");
            hub.sync("vprotect");
            Map<Object, Map<String, Object>> before = byId(hub.rows("SELECT * FROM backups"));
            String running = vprotectGuid(VPROTECT_BACKUPS - 2);
            providers.vprotect.backup(running).setStatus("SUCCESS");

            SyncRun cloud66 = hub.sync("cloud66");
            SyncRun vprotect = hub.sync("vprotect");

            assertEquals(0, cloud66.newCount() + cloud66.updatedCount());
            assertEquals(0, vprotect.newCount());
            assertEquals(1, vprotect.updatedCount());
            Map<Object, Map<String, Object>> after = byId(hub.rows("SELECT * FROM backups"));
            assertEquals(before.keySet(), after.keySet(), "no row added or removed");
            List<Object> changed = before.keySet().stream().filter(id -> !before.get(id).equals(after.get(id))).toList();
            assertEquals(1, changed.size());
            Map<String, Object> row = after.get(changed.get(0));
            assertEquals(running, row.get("provider_backup_id"));
            assertEquals("completed", row.get("status"));
        }
    }

    @Test
    void aCloud66VerificationFailureUpdatesThatBackupInPlaceOnTheNextFullWalk() {
        try (TestHub hub = providers.hubOn(dataDir).with("hub.cloud66.full-walk-interval-hours", "0").start()) {
            hub.sync("cloud66");
            providers.cloud66.backup(12).setVerifyStatus(3).setVerifyResult("checksum mismatch");

            SyncRun second = hub.sync("cloud66");

            assertEquals(1, second.updatedCount());
            assertEquals(0, second.newCount());
            assertEquals("[\"verification failed: checksum mismatch\"]", hub.rows(
                    "SELECT warnings_json FROM backups WHERE provider_backup_id = '12'").get(0).get("warnings_json"));
            assertEquals(CLOUD66_BACKUPS, hub.catalog().count("backups"));
        }
    }

    @Test
    void betweenFullWalksACloud66PollStopsAfterTwoPagesWithNothingNew() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("cloud66");
            providers.cloud66.addBackup("stk-a", 300, "mysql", "shop_db", java.time.Instant.now(), 0, 2200);
            providers.cloud66.backup(2).setVerifyStatus(3);
            providers.cloud66.resetRequestCounts();

            SyncRun run = hub.sync("cloud66");

            assertEquals(1, run.newCount());
            assertEquals(0, run.updatedCount(), "backup 2 is deeper than the walk goes; the next full walk updates it");
            assertEquals(3, providers.cloud66.requestCount("/stacks/stk-a/backups$"), "5 pages, 3 read");
            assertEquals(2, providers.cloud66.requestCount("/stacks/stk-b/backups$"), "3 pages, 2 read");
        }
    }

    @Test
    void theCursorStopsAtTheOldestBackupStillRunningAndMovesOnOnceItIsFinal() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("vprotect");
            long running = providers.vprotect.backup(vprotectGuid(VPROTECT_BACKUPS - 2)).snapshotTime();
            assertEquals(String.valueOf(running), hub.catalog().cursor("vprotect", "backups").orElseThrow());

            providers.vprotect.backup(vprotectGuid(VPROTECT_BACKUPS - 2)).setStatus("FAILED");
            providers.vprotect.backup(vprotectGuid(VPROTECT_BACKUPS - 1)).setStatus("SUCCESS");
            hub.sync("vprotect");

            long newest = providers.vprotect.backup(vprotectGuid(VPROTECT_BACKUPS - 1)).snapshotTime();
            assertEquals(String.valueOf(newest), hub.catalog().cursor("vprotect", "backups").orElseThrow());
        }
    }

    @Test
    void restartingTheHubOnTheSameDatabaseRepollsWithoutDuplicates() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("cloud66");
            hub.sync("vprotect");
        }
        providers.cloud66.addBackup("stk-b", 216, "redis", "cache", java.time.Instant.now(), 0, 4242);

        try (TestHub restarted = providers.hubOn(dataDir).start()) {
            SyncRun cloud66 = restarted.sync("cloud66");
            SyncRun vprotect = restarted.sync("vprotect");

            assertEquals(1, cloud66.newCount(), "only the backup made while the hub was down");
            assertEquals(0, cloud66.updatedCount());
            assertEquals(0, vprotect.newCount() + vprotect.updatedCount());
            assertEquals(CLOUD66_BACKUPS + 1 + VPROTECT_BACKUPS, restarted.catalog().count("backups"));
            assertEquals(0L, restarted.count("SELECT COUNT(*) FROM (SELECT provider, provider_backup_id FROM backups "
                    + "GROUP BY provider, provider_backup_id HAVING COUNT(*) > 1) d"));
            assertTrue(restarted.catalog().count("backup_instances") == 6);
        }
    }

    @Test
    void oneInstanceIsSyncedOnItsOwnWithoutTouchingTheOthers() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("cloud66");
            hub.sync("vprotect");
            providers.cloud66.addBackup("stk-a", 21, "mysql", "shop_db", java.time.Instant.now(), 0, 2100);
            providers.cloud66.addBackup("stk-a", 111, "postgresql", "analytics", java.time.Instant.now(), 0, 1110);
            providers.vprotect.addBackup("vm-1", "new-vm-1", "SUCCESS", "FULL", java.time.Instant.now(), 10);
            providers.vprotect.addBackup("vm-2", "new-vm-2", "SUCCESS", "FULL", java.time.Instant.now(), 10);
            long shop = instanceId(hub, "Shop shop_db (mysql)");
            long web = instanceId(hub, "web-01");

            SyncRun shopRun = hub.syncInstance(shop);
            SyncRun webRun = hub.syncInstance(web);

            assertTrue(shopRun.succeeded(), String.valueOf(shopRun.error()));
            assertEquals(1, shopRun.newCount());
            assertEquals(1, webRun.newCount());
            assertEquals(List.of("21", "new-vm-1"), hub.rows("SELECT provider_backup_id FROM backups WHERE provider_backup_id "
                    + "IN ('21', '111', 'new-vm-1', 'new-vm-2') ORDER BY provider_backup_id").stream()
                    .map(r -> r.get("provider_backup_id")).toList());
            assertEquals(List.of("instance:" + shop, "instance:" + web), hub.rows("SELECT scope FROM sync_runs "
                    + "WHERE scope LIKE 'instance:%' ORDER BY id").stream().map(r -> r.get("scope")).toList());
        }
    }

    @Test
    void onlyTheConfiguredStacksArePolledWhenSomeAreConfigured() {
        try (TestHub hub = providers.hubOn(dataDir).with("hub.cloud66.stacks", " stk-b ").start()) {
            SyncRun run = hub.sync("cloud66");

            assertEquals(15, run.newCount());
            assertEquals(List.of("Blog cache (redis)"), hub.rows("SELECT name FROM backup_instances").stream()
                    .map(r -> r.get("name")).toList());
            assertEquals(0, providers.cloud66.requestCount("/api/3/stacks$"), "the stack list is not read");
        }
    }

    @Test
    void everySyncIsRecordedWithItsOutcomeAndCounts() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("cloud66");
            providers.cloud66.failAlways("/stacks$", io.backuphub.demo.Fault.status(401));
            hub.sync("cloud66");

            List<Map<String, Object>> runs = hub.rows("SELECT outcome, created, error FROM sync_runs "
                    + "WHERE source = 'cloud66' ORDER BY id");
            assertEquals("succeeded", runs.get(0).get("outcome"));
            assertEquals(CLOUD66_BACKUPS, ((Number) runs.get(0).get("created")).intValue());
            assertEquals("failed", runs.get(1).get("outcome"));
            assertTrue(((String) runs.get(1).get("error")).contains("hub.cloud66.token"), (String) runs.get(1).get("error"));
        }
    }

    private static long instanceId(TestHub hub, String name) {
        return ((Number) hub.rows("SELECT id FROM backup_instances WHERE name = '" + name + "'").get(0).get("id")).longValue();
    }

    private static Map<Object, Map<String, Object>> byId(List<Map<String, Object>> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.get("id"), r -> r));
    }
}
