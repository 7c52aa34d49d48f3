package io.backuphub.provider.backupify;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.backuphub.demo.backupify.BackupifySimulator;

/**
 * A Backupify simulator with a known data set over several pages (the hub reads pages of 5): 3 upstream instances
 * with 12, 9 and 4 backups in every status, and 1 or 2 records of every finished backup.
 */
final class UpstreamData {

    static final String TOKEN = "upstream-token";
    static final String CLIENT = "hub-client";
    static final String SECRET = "hub-client-secret";
    static final int BACKUPS = 25;
    private static final List<String> STATUSES = List.of("completed", "completed", "partial", "failed", "completed",
            "removed");

    private UpstreamData() {
    }

    static BackupifySimulator start() {
        BackupifySimulator upstream = new BackupifySimulator(TOKEN).start();
        upstream.addClient(CLIENT, SECRET);
        upstream.addInstance(11, "cloud66-mysql", "Shop shop_db (mysql)", "cloud66");
        upstream.addInstance(12, "vprotect-vm", "web-01", "vprotect");
        upstream.addInstance(13, "Gmail users / EU", "Mailboxes EU", "google");
        Instant first = Instant.parse("2026-10-01T02:00:00Z");
        long recordId = 1000;
        int[][] spans = {{11, 12}, {12, 9}, {13, 4}};
        long backupId = 100;
        for (int[] span : spans) {
            for (int i = 0; i < span[1]; i++) {
                backupId++;
                boolean last = i == span[1] - 1;
                String status = last && span[0] == 12 ? "in_progress" : STATUSES.get(i % STATUSES.size());
                Instant started = first.plus(backupId, ChronoUnit.HOURS);
                upstream.addBackup(span[0], backupId, status, i % 3 == 0 ? "full" : "incremental", started,
                        status.equals("in_progress") ? null : started.plus(10, ChronoUnit.MINUTES), 4000L + backupId);
                if (status.equals("completed") || status.equals("partial")) {
                    // the mailboxes' records are of an endpoint no provider of this hub names: copied all the same
                    upstream.addRecord(backupId, span[0] == 13 ? "mail" : "files", ++recordId, "dump-" + backupId + ".tar", "application/x-tar",
                            3000 + backupId);
                    if (i % 2 == 0) {
                        upstream.addRecord(backupId, "manifest", ++recordId, "backup-" + backupId + ".json",
                                "application/json", 200 + backupId);
                    }
                }
            }
        }
        upstream.backup(102).warnings(List.of("verification was slow"));
        return upstream;
    }
}
