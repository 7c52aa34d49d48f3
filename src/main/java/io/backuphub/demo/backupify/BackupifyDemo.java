package io.backuphub.demo.backupify;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

import org.apache.camel.main.BaseMainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Backupify part of the demo: a simulated SaaS backup service (Google Workspace and Microsoft 365 mailboxes and
 * drives) on loopback, seeded, and a connection {@code saas} polling it with OAuth client credentials.
 */
public final class BackupifyDemo {

    public static final String CONNECTION = "saas";
    private static final Logger LOG = LoggerFactory.getLogger(BackupifyDemo.class);
    private static final String CLIENT = "demo-client";
    private static final String SECRET = "demo-client-secret";
    private static final List<String[]> INSTANCES = List.of(
            new String[] {"google-mail", "Mailbox ana@example.com", "google"},
            new String[] {"google-drive", "Drive ana@example.com", "google"},
            new String[] {"m365-mail", "Mailbox ben@example.com", "microsoft"});

    private BackupifyDemo() {
    }

    /**
     * Starts the simulator and points the connection {@code saas} at it.
     *
     * @return what stops the simulator
     */
    public static AutoCloseable install(BaseMainSupport main) {
        BackupifySimulator saas = new BackupifySimulator(null).start().addClient(CLIENT, SECRET);
        seed(saas, 42L);
        LOG.info("demo: Backupify simulator at {}", saas.baseUrl());
        String prefix = "hub.sources." + CONNECTION + ".";
        main.addOverrideProperty(prefix + "provider", "backupify");
        main.addOverrideProperty(prefix + "base-url", saas.baseUrl());
        main.addOverrideProperty(prefix + "client-id", CLIENT);
        main.addOverrideProperty(prefix + "client-secret", SECRET);
        main.addOverrideProperty(prefix + "schedule", "10/15 * * * * ?");
        return saas;
    }

    /** Three instances with 20 daily backups each (the last still running), each finished one with its records. */
    public static void seed(BackupifySimulator saas, long seed) {
        Random random = new Random(seed);
        Instant first = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(20, ChronoUnit.DAYS);
        long backupId = 0;
        long recordId = 0;
        for (int i = 0; i < INSTANCES.size(); i++) {
            String[] instance = INSTANCES.get(i);
            saas.addInstance(i + 1, instance[0], instance[1], instance[2]);
            for (int day = 0; day < 20; day++) {
                backupId++;
                Instant started = first.plus(day, ChronoUnit.DAYS).plus(i, ChronoUnit.HOURS);
                boolean running = day == 19;
                String status = running ? "in_progress" : random.nextInt(10) == 0 ? "partial" : "completed";
                saas.addBackup(i + 1, backupId, status, day % 7 == 0 ? "full" : "incremental", started,
                        running ? null : started.plus(20 + random.nextInt(40), ChronoUnit.MINUTES),
                        running ? null : 50_000L + random.nextInt(500_000));
                if (!running) {
                    String endpoint = instance[0].endsWith("mail") ? "mail" : "files";
                    saas.addRecord(backupId, "files", ++recordId, endpoint + "-" + backupId + ".tar",
                            "application/x-tar", 20_000 + random.nextInt(200_000));
                    saas.addRecord(backupId, "manifest", ++recordId, "backup-" + backupId + ".json",
                            "application/json", 300 + random.nextInt(700));
                }
            }
        }
    }
}
