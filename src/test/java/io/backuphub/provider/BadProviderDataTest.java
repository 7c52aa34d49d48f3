package io.backuphub.provider;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.backuphub.CapturedLogs;
import io.backuphub.TestHub;
import io.backuphub.simulator.Fault;
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
    void anUnknownEnumIsRejectedAndTheRestOfThePageIsIngested() {
        long between = providers.vprotect.backup(vprotectGuid(3)).snapshotTime() + 1;
        providers.vprotect.addRawBackupJson(between, """
                {"guid":"bad-enum","snapshotTime":%d,"backupTime":%d,"size":5,
                 "status":{"name":"EXPLODED","description":"?"},"type":{"name":"FULL","description":"Full"},
                 "protectedEntity":{"guid":"vm-1","name":"web-01","type":{"name":"VM","description":"VM"}}}"""
                .formatted(between, between));
        try (TestHub hub = providers.hubOn(dataDir).start(); CapturedLogs logs = CapturedLogs.start()) {
            SyncRun run = hub.sync("vprotect");

            assertTrue(run.succeeded());
            assertEquals(VPROTECT_BACKUPS, run.newCount());
            assertEquals(1, run.rejectedCount());
            Map<String, Object> reject = onlyReject(hub);
            assertEquals("bad-enum", reject.get("provider_item_id"));
            assertEquals("vprotect-ingest", reject.get("route_id"));
            assertTrue(((String) reject.get("reason")).contains("unknown status 'EXPLODED'"));
            assertTrue(((String) reject.get("payload")).contains("EXPLODED"), "the item is kept whole");
            assertEquals(1, logs.containing("source=vprotect route=vprotect-ingest item=bad-enum rejected").size(),
                    logs.lines().toString());
        }
    }

    @Test
    void cloud66ItemsWithAnUnknownDbTypeOrMissingFieldsAreRejectedOneByOne() {
        providers.cloud66.addRawBackupJson("stk-a", """
                {"id":50,"db_type":"oracle","database_name":"erp","backup_date_iso":"2026-10-02T00:00:00Z","backup_status":0}""");
        providers.cloud66.addRawBackupJson("stk-a", """
                {"id":51,"db_type":"mysql","backup_date_iso":"2026-10-02T00:00:00Z","backup_status":0}""");
        try (TestHub hub = providers.hubOn(dataDir).start(); CapturedLogs logs = CapturedLogs.start()) {
            SyncRun run = hub.sync("cloud66");

            assertEquals(CLOUD66_BACKUPS, run.newCount());
            assertEquals(2, run.rejectedCount());
            assertEquals(List.of("50: unknown db_type 'oracle' (expected one of", "51: backup has no database_name"),
                    hub.rows("SELECT provider_item_id, reason FROM ingest_rejects ORDER BY provider_item_id").stream()
                            .map(r -> r.get("provider_item_id") + ": " + ((String) r.get("reason"))
                                    .replaceAll("(expected one of).*", "$1")).toList());
            assertEquals(2, logs.containing("source=cloud66 route=cloud66-ingest").size());
        }
    }

    @Test
    void malformedJsonForOneBackupRejectsOnlyThatBackupAndTheNextPollHealsIt() {
        String garbled = vprotectGuid(7);
        providers.vprotect.failNext("/api/backups/" + garbled + "$", 1, Fault.malformedJson());
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            SyncRun first = hub.sync("vprotect");

            assertEquals(VPROTECT_BACKUPS - 1, first.newCount());
            assertEquals(1, first.rejectedCount());
            assertTrue(((String) onlyReject(hub).get("reason")).startsWith("malformed JSON"));
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM backups WHERE provider_backup_id = '" + garbled + "'"));

            SyncRun second = hub.sync("vprotect");

            assertEquals(1, second.newCount(), "the cursor was held at the rejected backup");
            assertEquals(0L, hub.catalog().count("ingest_rejects"), "an ingested item leaves the rejects");
            assertEquals(VPROTECT_BACKUPS, hub.count("SELECT COUNT(*) FROM backups WHERE provider = 'vprotect'"));
        }
    }

    @Test
    void aMalformedPageFailsThePollWithoutWritingOrMovingTheCursor() {
        providers.vprotect.failNext("/api/backups$", 1, Fault.malformedJson());
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
        providers.vprotect.failNext("/api/backups$", 1, Fault.throttle(1));
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
        providers.vprotect.failAlways("/api/backups/" + stuck + "$", Fault.status(503));
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            SyncRun failing = hub.sync("vprotect");

            assertFalse(failing.succeeded());
            assertEquals(VPROTECT_BACKUPS - 1, failing.newCount(), "the other pages were read");
            assertEquals(String.valueOf(providers.vprotect.backup(stuck).snapshotTime()),
                    hub.catalog().cursor("vprotect", "backups").orElseThrow());

            providers.vprotect.clearFaults();
            assertEquals(1, hub.sync("vprotect").newCount());
        }
    }

    @Test
    void anExpiredVProtectSessionIsRenewedAndTheCallRepeated() {
        providers.vprotect.failNext("/api/backups/" + vprotectGuid(20) + "$", 1, Fault.status(401));
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            SyncRun run = hub.sync("vprotect");

            assertTrue(run.succeeded(), String.valueOf(run.error()));
            assertEquals(VPROTECT_BACKUPS, run.newCount());
            assertEquals(2, providers.vprotect.requestCount("POST", "/api/session/login$"), "logged in again once");
        }
    }

    private static Map<String, Object> onlyReject(TestHub hub) {
        List<Map<String, Object>> rejects = hub.rows("SELECT * FROM ingest_rejects");
        assertEquals(1, rejects.size(), rejects.toString());
        return rejects.get(0);
    }
}
