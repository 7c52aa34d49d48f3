package io.backuphub.demo;

import io.backuphub.demo.cloud66.SimulatedCloud66Backup;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.demo.cloud66.SimFile;
import io.backuphub.demo.vprotect.ProtectedEntity;
import io.backuphub.demo.vprotect.SimulatedVProtectBackup;
import io.backuphub.demo.vprotect.VProtectSimulator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Realistic data for the hub's {@code --demo} mode: a month of backups on both simulators,
 * and optionally a trickle of new ones so the demo visibly syncs.
 */
public final class DemoData {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long GIB = 1024 * MIB;
    private static final Duration HISTORY = Duration.ofDays(30);

    /** name, environment, then "dbType:databaseName" for its two databases. */
    private static final String[][] STACKS = {
            {"Storefront", "production", "mysql:shop_production", "redis:shop_cache"},
            {"Billing API", "production", "postgresql:billing", "mongodb:billing_events"},
            {"Marketing Site", "staging", "postgresql:cms_staging", "redis:cms_sessions"},
    };

    /** name, protected-entity type. */
    private static final String[][] ENTITIES = {
            {"web-01", "VM"}, {"web-02", "VM"}, {"db-01", "VM"},
            {"mail-01", "VM"}, {"fileserver-01", "VM"}, {"erp-postgres", "APP"},
    };

    private static final List<String> WARNINGS = List.of(
            "Snapshot consolidation took longer than expected",
            "Guest agent not responding; backup is crash-consistent",
            "Disk vdb excluded by policy");

    private DemoData() {
    }

    /** Seeds both simulators relative to now; same seed, same data (timestamps shift with now). */
    public static void seed(Cloud66Simulator c66, VProtectSimulator vp, long randomSeed) {
        seed(c66, vp, randomSeed, Instant.now());
    }

    /** Seeds both simulators with history ending at {@code now}; fully deterministic. */
    public static void seed(Cloud66Simulator c66, VProtectSimulator vp, long randomSeed, Instant now) {
        seedCloud66(c66, new Random(randomSeed), now.truncatedTo(ChronoUnit.SECONDS));
        seedVProtect(vp, new Random(randomSeed * 31 + 7), now.truncatedTo(ChronoUnit.SECONDS));
        vp.setAutoProgress(true); // the newest QUEUED/INPROGRESS backups finish while the demo runs
    }

    private static void seedCloud66(Cloud66Simulator c66, Random rnd, Instant now) {
        record Planned(String stackUid, String dbType, String database, Instant at) {
        }
        List<Planned> planned = new ArrayList<>();
        for (String[] s : STACKS) {
            String uid = hex(rnd, 16);
            c66.addStack(uid, s[0]).setEnvironment(s[1]);
            for (int d = 2; d < s.length; d++) {
                String[] db = s[d].split(":");
                // about one backup every 29 hours per database: 25 each, 150 in all
                for (int i = 0; i < 25; i++) {
                    long minutesAgo = (long) ((i + rnd.nextDouble() * 0.8) * HISTORY.toMinutes() / 25);
                    planned.add(new Planned(uid, db[0], db[1], now.minus(Duration.ofMinutes(minutesAgo + 5))));
                }
            }
        }
        // ids grow with time, as database ids do
        planned.sort(Comparator.comparing(Planned::at));
        long id = 1000;
        for (Planned p : planned) {
            boolean failed = rnd.nextDouble() < 0.05;
            long size = 10 * KIB + (long) (rnd.nextDouble() * (2 * MIB - 10 * KIB));
            SimulatedCloud66Backup b = c66.addBackup(p.stackUid, id, p.dbType, p.database, p.at,
                    failed ? SimulatedCloud66Backup.BACKUP_FAILED : SimulatedCloud66Backup.BACKUP_OK, failed ? 0 : size);
            if (!failed) {
                boolean sqlDump = !p.dbType.equals("redis") && rnd.nextDouble() < 0.4;
                if (sqlDump) {
                    String base = p.database + "_" + id;
                    b.setFiles(List.of(new SimFile("tar", base + ".tar", size),
                            new SimFile("sql.gz", base + ".sql.gz", size / 4 + 10 * KIB)));
                }
                boolean verified = rnd.nextDouble() < 0.8;
                b.setVerifyStatus(verified ? 2 : 0).setVerifyResult(verified ? "Backup verified successfully" : null);
            }
            b.setUpdatedAt(p.at.plus(Duration.ofMinutes(2 + rnd.nextInt(10))));
            id++;
        }
    }

    private static void seedVProtect(VProtectSimulator vp, Random rnd, Instant now) {
        List<ProtectedEntity> entities = new ArrayList<>();
        for (String[] e : ENTITIES) {
            entities.add(vp.addProtectedEntity(uuid(rnd), e[0], e[1]));
        }
        for (int n = 0; n < entities.size(); n++) {
            ProtectedEntity entity = entities.get(n);
            int perEntity = 200 / entities.size() + (n < 200 % entities.size() ? 1 : 0); // 200 in all
            long fullSize = (entity.type().equals("VM") ? 4 : 1) * GIB + (long) (rnd.nextDouble() * 20 * GIB);
            for (int i = perEntity - 1; i >= 0; i--) {
                Instant at = now.minus(Duration.ofMinutes((long) ((i + rnd.nextDouble() * 0.5) * HISTORY.toMinutes()
                        / perEntity) + 10));
                boolean full = i % 7 == 6 || i == perEntity - 1; // weekly full, and the oldest one
                String status = pickStatus(rnd, i, n);
                long size = full ? fullSize : (long) (fullSize * (0.03 + rnd.nextDouble() * 0.12));
                SimulatedVProtectBackup b = vp.addBackup(entity.guid(), uuid(rnd), status, full ? "FULL" : "INCREMENTAL",
                        at, status.equals("FAILED") ? 0 : size);
                if ((status.equals("SUCCESS") || status.equals("PARTIAL_SUCCESS")) && rnd.nextDouble() < 0.12) {
                    b.setWarnings(List.of(WARNINGS.get(rnd.nextInt(WARNINGS.size()))));
                }
            }
        }
    }

    /** Mostly SUCCESS; the newest backup of some entities is still running; old ones may be pruned. */
    private static String pickStatus(Random rnd, int age, int entityIndex) {
        double r = rnd.nextDouble();
        if (age == 0 && entityIndex % 2 == 0) {
            return entityIndex % 4 == 0 ? "INPROGRESS" : "QUEUED";
        }
        if (age > 25 && r < 0.15) {
            return "SUCCESS_REMOVED";
        }
        if (r < 0.05) {
            return "FAILED";
        }
        return r < 0.10 ? "PARTIAL_SUCCESS" : "SUCCESS";
    }

    /**
     * Adds one backup to each simulator every {@code every}: a Cloud66 backup that shows as
     * "verifying" until the next tick, and a QUEUED vProtect incremental. Close to stop.
     */
    public static AutoCloseable keepProducing(Cloud66Simulator c66, VProtectSimulator vp, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-data-producer");
            t.setDaemon(true);
            return t;
        });
        Random rnd = new Random();
        AtomicReference<SimulatedCloud66Backup> verifying = new AtomicReference<>();
        Runnable tick = () -> {
            // an exception would silently cancel the schedule, so each tick stands alone
            try {
                produceCloud66(c66, rnd, verifying);
            } catch (RuntimeException e) {
                System.err.println("demo data: cloud66 tick failed: " + e);
            }
            try {
                produceVProtect(vp, rnd);
            } catch (RuntimeException e) {
                System.err.println("demo data: vprotect tick failed: " + e);
            }
        };
        long millis = every.toMillis();
        timer.scheduleAtFixedRate(tick, millis, millis, TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    private static void produceCloud66(Cloud66Simulator c66, Random rnd, AtomicReference<SimulatedCloud66Backup> verifying) {
        SimulatedCloud66Backup previous = verifying.getAndSet(null);
        if (previous != null) {
            previous.setVerifyStatus(2).setVerifyResult("Backup verified successfully");
        }
        List<SimulatedCloud66Backup> known = new ArrayList<>();
        c66.stacks().forEach(s -> known.addAll(c66.backups(s.uid())));
        if (known.isEmpty()) {
            return;
        }
        SimulatedCloud66Backup template = known.get(rnd.nextInt(known.size()));
        long size = 10 * KIB + (long) (rnd.nextDouble() * (2 * MIB - 10 * KIB));
        SimulatedCloud66Backup b = c66.addBackup(template.stackUid(), c66.nextBackupId(), template.dbType(),
                template.databaseName(), Instant.now(), SimulatedCloud66Backup.BACKUP_OK, size);
        b.setVerifyStatus(1);
        verifying.set(b);
    }

    private static void produceVProtect(VProtectSimulator vp, Random rnd) {
        List<ProtectedEntity> entities = vp.protectedEntities();
        if (entities.isEmpty()) {
            return;
        }
        ProtectedEntity entity = entities.get(rnd.nextInt(entities.size()));
        vp.addBackup(entity.guid(), UUID.randomUUID().toString(), "QUEUED", "INCREMENTAL", Instant.now(),
                256 * MIB + (long) (rnd.nextDouble() * 2 * GIB));
    }

    private static String hex(Random rnd, int bytes) {
        byte[] b = new byte[bytes];
        rnd.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String uuid(Random rnd) {
        byte[] b = new byte[16];
        rnd.nextBytes(b);
        return UUID.nameUUIDFromBytes(b).toString();
    }
}
