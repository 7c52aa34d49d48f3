package io.backuphub.provider;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.backuphub.CapturedLogs;
import io.backuphub.TestHub;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.VPROTECT_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.vprotectGuid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad provider data is logged with source and route, the rest is ingested, nothing is half-written. */
class BadProviderDataTest {

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    @Test
    void aCloud66BackupWithStatus7IsInTheCatalogAsUnknownAfterTwoPollsWithOneWarningAndOneEvent() {
        providers.cloud66.addBackup("stk-a", 60, "mysql", "shop_db", Instant.parse("2026-10-05T02:00:00Z"), 7, 60L);
        try (TestHub hub = providers.hubOn(dataDir).start(); CapturedLogs logs = CapturedLogs.start()) {
            SyncRun first = hub.sync("cloud66");
            SyncRun second = hub.sync("cloud66");

            assertTrue(first.succeeded() && second.succeeded());
            assertEquals(CLOUD66_BACKUPS + 1, first.newCount());
            assertEquals(0, first.rejectedCount() + second.rejectedCount());
            assertEquals(0, second.newCount() + second.updatedCount());
            Map<String, Object> backup = onlyRow(hub, "SELECT status, type, provider_status, unknown_values, completed_at "
                    + "FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '60'");
            assertEquals("unknown", backup.get("status"));
            assertEquals("full", backup.get("type"));
            assertEquals("7", backup.get("provider_status"));
            assertEquals("[\"backup_status 7\"]", backup.get("unknown_values"));
            assertEquals(0L, hub.catalog().count("ingest_rejects"), "nothing is rejected");
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM backup_instances WHERE last_backup_at = "
                    + "(SELECT completed_at FROM backups WHERE provider_backup_id = '60')"),
                    "an unknown status is not the instance's last good backup");

            List<String> warnings = logs.lines().stream().filter(l -> l.startsWith("WARN")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("source=cloud66 item=60"), warnings.get(0));
            assertTrue(warnings.get(0).contains("backup_status 7"), warnings.get(0));
            assertEquals(1L, hub.count("SELECT COUNT(*) FROM notifications WHERE event = 'provider.unknown_values'"));
            String event = (String) onlyRow(hub, "SELECT payload FROM notifications WHERE event = 'provider.unknown_values'")
                    .get("payload");
            assertTrue(event.contains("\"unknown_values\":[\"backup_status 7\"]"), event);
            assertTrue(event.contains("\"provider_status\":\"7\""), event);
            assertTrue(event.contains("\"status\":\"unknown\""), event);
        }
    }

    @Test
    void aCloud66BackupWhoseStatusChangesToAnotherUnknownValueWarnsAgainOnceAndAKnownOneClearsIt() {
        var backup = providers.cloud66.addBackup("stk-a", 60, "mysql", "shop_db",
                Instant.parse("2026-10-05T02:00:00Z"), 7, 60L);
        try (TestHub hub = providers.hubOn(dataDir).start(); CapturedLogs logs = CapturedLogs.start()) {
            hub.sync("cloud66");
            backup.setBackupStatus(8);
            hub.sync("cloud66");
            hub.sync("cloud66");
            backup.setBackupStatus(0);
            hub.sync("cloud66");

            assertEquals(2, logs.containing("values the hub does not know").size(), logs.lines().toString());
            assertEquals(2L, hub.count("SELECT COUNT(*) FROM notifications WHERE event = 'provider.unknown_values'"));
            Map<String, Object> row = onlyRow(hub, "SELECT status, provider_status, unknown_values FROM backups "
                    + "WHERE provider = 'cloud66' AND provider_backup_id = '60'");
            assertEquals("completed", row.get("status"));
            assertEquals("0", row.get("provider_status"));
            assertEquals(null, row.get("unknown_values"));
        }
    }

    @Test
    void anUnknownVProtectStatusIsInTheCatalogAsUnknownAfterTwoPollsWithOneWarningAndOneEvent() {
        long between = providers.vprotect.backup(vprotectGuid(3)).snapshotTime() + 1;
        providers.vprotect.addRawBackupJson(between, """
                {"guid":"new-status","snapshotTime":%d,"backupTime":%d,"size":5,
                 "status":{"name":"EXPLODED","description":"?"},"type":{"name":"FULL","description":"Full"},
                 "protectedEntity":{"guid":"vm-1","name":"web-01","type":{"name":"VM","description":"VM"}}}"""
                .formatted(between, between));
        try (TestHub hub = providers.hubOn(dataDir).start(); CapturedLogs logs = CapturedLogs.start()) {
            SyncRun first = hub.sync("vprotect");
            SyncRun second = hub.sync("vprotect");

            assertTrue(first.succeeded() && second.succeeded());
            assertEquals(VPROTECT_BACKUPS + 1, first.newCount());
            assertEquals(0, first.rejectedCount() + second.rejectedCount());
            Map<String, Object> backup = onlyRow(hub, "SELECT status, provider_status, unknown_values FROM backups "
                    + "WHERE provider = 'vprotect' AND provider_backup_id = 'new-status'");
            assertEquals("unknown", backup.get("status"));
            assertEquals("EXPLODED", backup.get("provider_status"));
            assertEquals(0L, hub.catalog().count("ingest_rejects"));
            assertEquals(1, logs.containing("values the hub does not know").size(), logs.lines().toString());
            assertEquals(1, logs.containing("source=vprotect item=new-status").size(), logs.lines().toString());
            assertEquals(1L, hub.count("SELECT COUNT(*) FROM notifications WHERE event = 'provider.unknown_values'"));
        }
    }

    @Test
    void aBackupWithoutAnIdIsStillRejected() {
        providers.cloud66.addRawBackupJson("stk-a", """
                {"db_type":"mysql","database_name":"shop_db","backup_date_iso":"2026-10-02T00:00:00Z","backup_status":7}""");
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            SyncRun run = hub.sync("cloud66");

            assertEquals(CLOUD66_BACKUPS, run.newCount());
            assertEquals(1, run.rejectedCount());
            assertTrue(((String) onlyReject(hub).get("reason")).contains("no id"));
        }
    }

    @Test
    void cloud66ItemsWithMissingFieldsAreRejectedOneByOneAndANewDbTypeIsTakenIn() {
        providers.cloud66.addBackup("stk-a", 50, "oracle", "erp", Instant.parse("2026-10-02T00:00:00Z"), 0, 50L);
        providers.cloud66.addRawBackupJson("stk-a", """
                {"id":51,"db_type":"mysql","backup_date_iso":"2026-10-02T00:00:00Z","backup_status":0}""");
        providers.cloud66.addRawBackupJson("stk-a", """
                {"id":52,"db_type":"mysql","database_name":"shop_db","backup_status":0}""");
        try (TestHub hub = providers.hubOn(dataDir).start(); CapturedLogs logs = CapturedLogs.start()) {
            SyncRun run = hub.sync("cloud66");

            assertEquals(CLOUD66_BACKUPS + 1, run.newCount());
            assertEquals(2, run.rejectedCount());
            assertEquals(List.of("51: backup has no database_name", "52: backup has no backup_date_iso"),
                    hub.rows("SELECT provider_item_id, reason FROM ingest_rejects ORDER BY provider_item_id").stream()
                            .map(r -> r.get("provider_item_id") + ": " + r.get("reason")).toList());
            assertEquals(2, logs.containing("source=cloud66 route=cloud66-ingest").size());
            assertEquals("cloud66-oracle", onlyRow(hub, "SELECT i.backup_definition_id FROM backups b "
                    + "JOIN backup_instances i ON i.id = b.backup_instance_id WHERE b.provider_backup_id = '50'")
                    .get("backup_definition_id"));
        }
    }

    @Test
    void aGarbledBackupInTheDetailedListingIsRejectedAloneAndTheNextPollHealsIt() {
        String garbled = vprotectGuid(7);
        providers.vprotect.garbleInListings(garbled, 1);
        try (TestHub hub = providers.hubOn(dataDir).start(); CapturedLogs logs = CapturedLogs.start()) {
            SyncRun first = hub.sync("vprotect");

            assertTrue(first.succeeded(), String.valueOf(first.error()));
            assertEquals(VPROTECT_BACKUPS - 1, first.newCount(), "the rest of its page and the other pages are in");
            assertEquals(1, first.rejectedCount());
            Map<String, Object> reject = onlyReject(hub);
            assertEquals(garbled, reject.get("provider_item_id"));
            assertEquals("backup has no size", reject.get("reason"));
            assertTrue(((String) reject.get("payload")).contains("\"size\":\"garbled\""), (String) reject.get("payload"));
            assertEquals(1, logs.containing("source=vprotect route=vprotect-ingest").size(), logs.lines().toString());
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM backups WHERE provider_backup_id = '" + garbled + "'"));
            assertEquals(String.valueOf(providers.vprotect.backup(garbled).snapshotTime()),
                    hub.catalog().cursor("vprotect", "backups").orElseThrow());

            SyncRun second = hub.sync("vprotect");

            assertEquals(1, second.newCount(), "the cursor was held at the rejected backup");
            assertEquals(0, second.rejectedCount());
            assertEquals(0L, hub.catalog().count("ingest_rejects"), "an ingested item leaves the rejects");
            assertEquals(VPROTECT_BACKUPS, hub.count("SELECT COUNT(*) FROM backups WHERE provider = 'vprotect'"));
        }
    }

    @Test
    void aMalformedPageFailsThePollWithoutWritingOrMovingTheCursor() {
        providers.vprotect.failNext("/api/backups/detailed$", 1, Fault.malformedJson());
        try (TestHub hub = providers.hubOn(dataDir).start(); CapturedLogs logs = CapturedLogs.start()) {
            SyncRun failed = hub.sync("vprotect");

            assertFalse(failed.succeeded());
            assertTrue(failed.error().contains("malformed JSON"), failed.error());
            assertEquals(0L, hub.catalog().count("backups"));
            assertTrue(hub.catalog().cursor("vprotect", "backups").isEmpty());
            assertTrue(logs.containing("[with stack trace]").isEmpty(), "one line, no stack trace");

            assertEquals(VPROTECT_BACKUPS, hub.sync("vprotect").newCount());
        }
    }

    @Test
    void wrongCredentialsFailThePollWithAMessageThatSaysWhichPropertyToFix() {
        try (TestHub hub = providers.hubOn(dataDir).with("hub.cloud66.token", "wrong").start();
             CapturedLogs logs = CapturedLogs.start()) {
            SyncRun run = hub.sync("cloud66");

            assertFalse(run.succeeded());
            assertTrue(run.error().contains("refused the credentials (401)"), run.error());
            assertTrue(run.error().contains("hub.cloud66.token"), run.error());
            assertEquals(0L, hub.catalog().count("backups"));
            assertEquals(1, logs.containing("ERROR source=cloud66 scope=all sync failed").size(), logs.lines().toString());
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains("wrong")), "the token is never logged");
        }
    }

    @Test
    void aWrongVProtectPasswordFailsThePollAtLogin() {
        try (TestHub hub = providers.hubOn(dataDir).with("hub.vprotect.password", "nope").start()) {
            SyncRun run = hub.sync("vprotect");
            assertFalse(run.succeeded());
            assertTrue(run.error().contains("hub.vprotect.username and hub.vprotect.password"), run.error());
        }
    }

    @Test
    void serverErrorsAndThrottlingAreRetriedWithBackOffAndThePollSucceeds() {
        providers.cloud66.failNext("/stacks/stk-a/backups$", 2, Fault.status(500));
        providers.vprotect.failNext("/api/backups/detailed$", 1, Fault.throttle(1));
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            assertEquals(CLOUD66_BACKUPS, hub.sync("cloud66").newCount());
            assertEquals(VPROTECT_BACKUPS, hub.sync("vprotect").newCount());
        }
    }

    @Test
    void aBackupWhoseFilesKeepFailingIsNotWrittenHalfAndArrivesOnceTheProviderRecovers() {
        providers.cloud66.failAlways("/stacks/stk-a/backups/5/files$", Fault.status(500));
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            SyncRun failing = hub.sync("cloud66");

            assertFalse(failing.succeeded(), "the poll reports the failure");
            assertTrue(failing.error().startsWith("1 backup(s) could not be read"), failing.error());
            assertEquals(CLOUD66_BACKUPS - 1, hub.count("SELECT COUNT(*) FROM backups"), "everything else is in");
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM backups WHERE provider_backup_id = '5'"));
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM records r WHERE NOT EXISTS "
                    + "(SELECT 1 FROM backups b WHERE b.id = r.backup_id)"));

            providers.cloud66.clearFaults();
            SyncRun recovered = hub.sync("cloud66");

            assertTrue(recovered.succeeded());
            assertEquals(1, recovered.newCount());
            assertEquals(1L, hub.count("SELECT COUNT(*) FROM records r JOIN backups b ON b.id = r.backup_id "
                    + "WHERE b.provider_backup_id = '5'"));
        }
    }

    @Test
    void aVProtectBackupWhoseDetailsKeepFailingHoldsTheCursorUntilItIsRead() {
        String stuck = vprotectGuid(30);
        String heldAt = String.valueOf(providers.vprotect.backup(stuck).snapshotTime());
        // fewer failing polls than the connection's reject-retries (3)
        providers.vprotect.garbleInListings(stuck, 2);
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            SyncRun first = hub.sync("vprotect");
            SyncRun second = hub.sync("vprotect");

            assertEquals(VPROTECT_BACKUPS - 1, first.newCount(), "the other backups and pages were read");
            assertEquals(1, first.rejectedCount());
            assertEquals(0, second.newCount());
            assertEquals(1, second.rejectedCount(), "read again from the held cursor, still garbled");
            assertEquals(heldAt, hub.catalog().cursor("vprotect", "backups").orElseThrow());
            assertEquals(2, onlyReject(hub).get("attempts"));

            SyncRun healed = hub.sync("vprotect");

            assertEquals(1, healed.newCount());
            assertEquals(1L, hub.count("SELECT COUNT(*) FROM backups WHERE provider_backup_id = '" + stuck + "'"));
            assertEquals(0L, hub.catalog().count("ingest_rejects"));
            assertFalse(heldAt.equals(hub.catalog().cursor("vprotect", "backups").orElseThrow()), "the cursor moved on");
        }
    }

    @Test
    void aVProtectBackupThatStaysGarbledReleasesTheCursorWhenItsRejectRetriesAreUsedUpAndStaysInTheRejects() {
        String stuck = vprotectGuid(30);
        String heldAt = String.valueOf(providers.vprotect.backup(stuck).snapshotTime());
        providers.vprotect.garbleInListings(stuck, Integer.MAX_VALUE);
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.sync("vprotect");
            hub.sync("vprotect");
            assertEquals(heldAt, hub.catalog().cursor("vprotect", "backups").orElseThrow(), "held for two polls");

            SyncRun third = hub.sync("vprotect");

            assertEquals(1, third.rejectedCount());
            assertEquals(3, onlyReject(hub).get("attempts"));
            long cursor = Long.parseLong(hub.catalog().cursor("vprotect", "backups").orElseThrow());
            assertTrue(cursor > Long.parseLong(heldAt), "the third reject (reject-retries 3) lets the cursor go on");
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM backups WHERE provider_backup_id = '" + stuck + "'"));
            assertEquals(VPROTECT_BACKUPS - 1, hub.count("SELECT COUNT(*) FROM backups WHERE provider = 'vprotect'"));
        }
    }

    @Test
    void anExpiredVProtectSessionIsRenewedAndTheCallRepeated() {
        providers.vprotect.failNext("/api/backups/detailed$", 1, Fault.status(401));
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            SyncRun run = hub.sync("vprotect");

            assertTrue(run.succeeded(), String.valueOf(run.error()));
            assertEquals(VPROTECT_BACKUPS, run.newCount());
            assertEquals(2, providers.vprotect.requestCount("POST", "/api/session/login$"), "logged in again once");
        }
    }

    private static Map<String, Object> onlyRow(TestHub hub, String sql) {
        List<Map<String, Object>> rows = hub.rows(sql);
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    private static Map<String, Object> onlyReject(TestHub hub) {
        List<Map<String, Object>> rejects = hub.rows("SELECT * FROM ingest_rejects");
        assertEquals(1, rejects.size(), rejects.toString());
        return rejects.get(0);
    }
}
