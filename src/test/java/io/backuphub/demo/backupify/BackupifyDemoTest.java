package io.backuphub.demo.backupify;

import java.nio.file.Path;

import io.backuphub.BackupHub;
import io.backuphub.TestHub;
import io.backuphub.catalog.Catalog;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupifyDemoTest {

    @TempDir
    Path dataDir;

    @Test
    void theDemosBackupifyConnectionPollsItsSimulatorWithClientCredentials() throws Exception {
        Main main = BackupHub.create();
        main.addOverrideProperty("hub.data-dir", dataDir.toString());
        main.addOverrideProperty("hub.api.port", Integer.toString(TestHub.freePort()));
        main.addOverrideProperty("hub.cloud66.enabled", "false");
        main.addOverrideProperty("hub.vprotect.enabled", "false");
        main.addOverrideProperty("hub.fanout.schedule", TestHub.NEVER);
        main.addOverrideProperty("hub.exports.schedule", TestHub.NEVER);
        main.addOverrideProperty("hub.notify.stale-schedule", TestHub.NEVER);
        try (AutoCloseable saas = BackupifyDemo.install(main)) {
            main.addOverrideProperty("hub.sources." + BackupifyDemo.CONNECTION + ".schedule", TestHub.NEVER);
            main.start();
            try {
                Exchange done = main.getCamelContext().createProducerTemplate()
                        .send("direct:" + BackupifyDemo.CONNECTION + "-sync", e -> { });
                SyncRun run = done.getProperty(SyncRun.PROPERTY, SyncRun.class);
                assertTrue(run.succeeded(), run.error());
                assertEquals(60, run.newCount());
                Catalog catalog = main.getCamelContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
                try (var c = catalog.dataSource().getConnection(); var s = c.createStatement();
                     var rs = s.executeQuery("SELECT COUNT(*) FROM records r JOIN backups b ON b.id = r.backup_id "
                             + "WHERE b.source = 'saas' AND r.sha256 IS NOT NULL")) {
                    rs.next();
                    assertEquals(2 * 57, rs.getLong(1), "every finished backup's two records, with their hashes");
                }
            } finally {
                main.stop();
            }
        }
    }
}
