package io.backuphub.provider;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backuphub.TestHub;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.demo.cloud66.SimFile;
import io.backuphub.demo.vprotect.BackupFile;
import io.backuphub.demo.vprotect.VProtectSimulator;

/**
 * Both provider simulators, running on loopback, with a known data set spread over several pages:
 * Cloud66 45 backups in 3 databases of 2 stacks (pages of 7), vProtect 60 backups of 3 protected
 * entities in every status (the hub reads pages of 10).
 */
public final class SimulatedProviders implements AutoCloseable {

    public static final String TOKEN = "c66-test-token";
    public static final String USER = "hub";
    public static final String PASSWORD = "s3cret";
    public static final int CLOUD66_BACKUPS = 45;
    public static final int VPROTECT_BACKUPS = 60;
    private static final List<String> STATUS_CYCLE =
            List.of("SUCCESS", "SUCCESS", "PARTIAL_SUCCESS", "FAILED", "SUCCESS_REMOVED", "SUCCESS");
    private static final Map<String, String> CONTRACT_STATUS = Map.of(
            "QUEUED", "queued", "INPROGRESS", "in_progress", "SUCCESS", "completed",
            "PARTIAL_SUCCESS", "partial", "FAILED", "failed", "SUCCESS_REMOVED", "removed");

    public final Cloud66Simulator cloud66 = new Cloud66Simulator(TOKEN).start();
    public final VProtectSimulator vprotect = new VProtectSimulator(USER, PASSWORD).start();
    /** vProtect guid → the contract status the catalog must show. */
    public final Map<String, String> expectedVProtectStatus = new LinkedHashMap<>();
    public final Instant firstSnapshot = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    public SimulatedProviders() {
        cloud66.setPageSize(7);
        cloud66.addStack("stk-a", "Shop");
        cloud66.addStack("stk-b", "Blog");
        Instant day = Instant.parse("2026-10-01T02:00:00Z");
        for (int i = 1; i <= 20; i++) {
            cloud66.addBackup("stk-a", i, "mysql", "shop_db", day.plus(i, ChronoUnit.HOURS), i % 9 == 0 ? 1 : 0, 1000L * i);
        }
        for (int i = 101; i <= 110; i++) {
            cloud66.addBackup("stk-a", i, "postgresql", "analytics", day.plus(i, ChronoUnit.HOURS), 0, 5000L * i);
        }
        for (int i = 201; i <= 215; i++) {
            cloud66.addBackup("stk-b", i, "redis", "cache", day.plus(i, ChronoUnit.HOURS), 0, 70L * i);
        }
        cloud66.setFiles(3, List.of(new SimFile("tar", "shop_db_3.tar", 3000), new SimFile("sql.gz", "shop_db_3.sql.gz", 900)));

        vprotect.addProtectedEntity("vm-1", "web-01", "VM");
        vprotect.addProtectedEntity("vm-2", "db-01", "VM");
        vprotect.addProtectedEntity("app-1", "erp", "APP");
        List<String> entities = List.of("vm-1", "vm-2", "app-1");
        for (int i = 0; i < VPROTECT_BACKUPS; i++) {
            String status = i == VPROTECT_BACKUPS - 2 ? "INPROGRESS"
                    : i == VPROTECT_BACKUPS - 1 ? "QUEUED" : STATUS_CYCLE.get(i % STATUS_CYCLE.size());
            String guid = vprotectGuid(i);
            vprotect.addBackup(entities.get(i % 3), guid, status, i % 4 == 0 ? "FULL" : "INCREMENTAL",
                    firstSnapshot.plus(i, ChronoUnit.HOURS), 1_000_000L + i);
            expectedVProtectStatus.put(guid, CONTRACT_STATUS.get(status));
        }
        vprotect.backup(vprotectGuid(6)).setBackupFiles(List.of(
                new BackupFile("file-6a", "disk0.qcow2", 123_456, "/backups/vm-1/disk0.qcow2"),
                new BackupFile("file-6b", "disk1.qcow2", 654_321, "/backups/vm-1/disk1.qcow2")));
    }

    public static String vprotectGuid(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }

    public TestHub.Builder hubOn(java.nio.file.Path dataDir) {
        return TestHub.on(dataDir)
                .cloud66(cloud66.baseUrl(), TOKEN)
                .vprotect(vprotect.baseUrl(), USER, PASSWORD)
                .with("hub.vprotect.page-size", "10");
    }

    @Override
    public void close() {
        cloud66.close();
        vprotect.close();
    }
}
