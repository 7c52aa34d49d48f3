package io.backuphub.provider.backupify;

import java.nio.file.Path;

import io.backuphub.TestHub;
import io.backuphub.demo.backupify.BackupifySimulator;

/** A test hub with one Backupify connection {@code up} polling a simulator (pages of 5, schedule never). */
final class BackupifyOnHub {

    static final String CONNECTION = "up";

    private BackupifyOnHub() {
    }

    static TestHub.Builder hub(Path dataDir, BackupifySimulator upstream) {
        return hub(dataDir, upstream.baseUrl());
    }

    /** A test hub polling the v1 API at {@code baseUrl}. */
    static TestHub.Builder hub(Path dataDir, String baseUrl) {
        String prefix = "hub.sources." + CONNECTION + ".";
        return TestHub.on(dataDir)
                .with(prefix + "provider", "backupify")
                .with(prefix + "base-url", baseUrl)
                .with(prefix + "customer", "acme")
                .with(prefix + "page-size", "5")
                .with(prefix + "schedule", TestHub.NEVER);
    }
}
