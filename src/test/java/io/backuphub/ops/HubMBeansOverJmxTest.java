package io.backuphub.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import io.backuphub.TestHub;
import io.backuphub.fanout.S3Server;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static io.backuphub.provider.SimulatedProviders.VPROTECT_BACKUPS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub's MBeans and Camel's, read and operated over a real RMI connection on loopback. */
class HubMBeansOverJmxTest {

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();
    private LoopbackJmx jmx;

    @BeforeEach
    void exportJmx() throws Exception {
        jmx = new LoopbackJmx();
    }

    @AfterEach
    void closeAll() throws Exception {
        jmx.close();
        providers.close();
    }

    private static ObjectName source(String name) throws Exception {
        return new ObjectName("backuphub:type=source,name=" + name);
    }

    @Test
    void syncNowRunsASyncAndTheSourceAttributesShowItsResult() throws Exception {
        // every poll a full walk, so both polls see every backup
        try (TestHub hub = providers.hubOn(dataDir).with("hub.cloud66.full-walk-interval-hours", "0").start()) {
            MBeanServerConnection jmx = this.jmx.connection();
            ObjectName cloud66 = source("cloud66");
            assertEquals("never", jmx.getAttribute(cloud66, "LastPollResult"));
            assertEquals("", jmx.getAttribute(cloud66, "LastPollTime"));
            assertEquals(-1L, jmx.getAttribute(cloud66, "LagSeconds"));

            String summary = (String) jmx.invoke(cloud66, "syncNow", null, null);

            assertTrue(summary.startsWith("cloud66 sync succeeded: seen=" + CLOUD66_BACKUPS + " new=" + CLOUD66_BACKUPS
                    + " updated=0 rejected=0"), summary);
            assertEquals("succeeded", jmx.getAttribute(cloud66, "LastPollResult"));
            assertFalse(((String) jmx.getAttribute(cloud66, "LastPollTime")).isEmpty());
            assertEquals((long) CLOUD66_BACKUPS, jmx.getAttribute(cloud66, "BackupsSeen"));
            assertEquals((long) CLOUD66_BACKUPS, jmx.getAttribute(cloud66, "BackupsNew"));
            assertEquals(0L, jmx.getAttribute(cloud66, "BackupsUpdated"));
            assertTrue((Long) jmx.getAttribute(cloud66, "LagSeconds") > 0, "the newest simulated backup is in the past");
            assertEquals(0L, jmx.getAttribute(cloud66, "DeadLetters"));
            assertEquals(hub.count("SELECT COUNT(*) FROM copies WHERE status = 'pending'"),
                    jmx.getAttribute(cloud66, "CopiesPending"), "its backups' files are queued for the storage target");

            jmx.invoke(cloud66, "syncNow", null, null);
            assertEquals(0L, jmx.getAttribute(cloud66, "BackupsNew"), "the last poll found nothing new");
            assertEquals((long) CLOUD66_BACKUPS, jmx.getAttribute(cloud66, "TotalBackupsNew"));
            assertEquals(2L * CLOUD66_BACKUPS, jmx.getAttribute(cloud66, "TotalBackupsSeen"));
        }
    }

    @Test
    void aFailingSourceShowsItsErrorAndCountsItsFailures() throws Exception {
        providers.vprotect.failAlways("/session/login", Fault.status(401));
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            MBeanServerConnection jmx = this.jmx.connection();
            ObjectName vprotect = source("vprotect");

            String summary = (String) jmx.invoke(vprotect, "syncNow", null, null);
            jmx.invoke(vprotect, "syncNow", null, null);

            assertTrue(summary.startsWith("vprotect sync failed: vprotect refused the credentials (401)"), summary);
            assertEquals("failed", jmx.getAttribute(vprotect, "LastPollResult"));
            assertTrue(((String) jmx.getAttribute(vprotect, "LastError")).contains("check hub.vprotect.username"));
            assertEquals(2, jmx.getAttribute(vprotect, "ConsecutiveFailures"));
            assertEquals("", jmx.getAttribute(vprotect, "LastSuccessTime"));
        }
    }

    @Test
    void pauseAndResumeSuspendAndResumeThePollRouteSeenInCamelsOwnRouteMBean() throws Exception {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            MBeanServerConnection jmx = this.jmx.connection();
            ObjectName vprotect = source("vprotect");
            Set<ObjectName> routes = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"vprotect-poll\",*"), null);
            assertEquals(1, routes.size(), "Camel's route MBean: " + routes);
            ObjectName pollRoute = routes.iterator().next();
            assertEquals("Started", jmx.getAttribute(pollRoute, "State"));
            assertEquals(false, jmx.getAttribute(vprotect, "Paused"));

            jmx.invoke(vprotect, "pause", null, null);

            assertEquals(true, jmx.getAttribute(vprotect, "Paused"));
            assertEquals("Suspended", jmx.getAttribute(pollRoute, "State"));
            String summary = (String) jmx.invoke(vprotect, "syncNow", null, null);
            assertTrue(summary.startsWith("vprotect sync succeeded: seen=" + VPROTECT_BACKUPS), "a sync by hand still runs: " + summary);

            jmx.invoke(vprotect, "resume", null, null);

            assertEquals(false, jmx.getAttribute(vprotect, "Paused"));
            assertEquals("Started", jmx.getAttribute(pollRoute, "State"));
            assertEquals((long) VPROTECT_BACKUPS, jmx.getAttribute(vprotect, "TotalBackupsNew"));
        }
    }

    @Test
    void theCatalogMBeanCountsTheCatalogAndReplaysDeadLetters() throws Exception {
        providers.cloud66.addRawBackupJson("stk-a", "{\"id\": 999, \"db_type\": \"mysql\", \"database_name\": \"shop_db\"}");
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            MBeanServerConnection jmx = this.jmx.connection();
            ObjectName catalog = new ObjectName("backuphub:type=catalog");
            hub.sync("cloud66");
            hub.sync("vprotect");

            assertEquals((long) CLOUD66_BACKUPS + VPROTECT_BACKUPS, jmx.getAttribute(catalog, "Backups"));
            assertEquals(6L, jmx.getAttribute(catalog, "Instances"));
            assertEquals(hub.catalog().count("records"), jmx.getAttribute(catalog, "Records"));
            assertEquals(1L, jmx.getAttribute(catalog, "Rejects"));
            assertEquals(1L, jmx.getAttribute(catalog, "DeadLetters"));
            assertEquals(1L, jmx.getAttribute(source("cloud66"), "DeadLetters"));
            assertEquals(0L, jmx.getAttribute(source("vprotect"), "DeadLetters"));
            long polls = hub.count("SELECT COUNT(*) FROM sync_runs WHERE source = 'cloud66'");

            String replay = (String) jmx.invoke(catalog, "replayDeadLetters", null, null);

            assertEquals("copies: none waiting; ingest-rejects: cloud66 1 -> 1", replay,
                    "the provider still sends the item as it was");
            assertEquals(polls + 1, hub.count("SELECT COUNT(*) FROM sync_runs WHERE source = 'cloud66'"), "replayed by a sync");
        }
    }

    @Test
    void copiesPendingAndFailedCopiesShowPerSourceAndAReplayStoresThemOnceTheTargetWorks() throws Exception {
        String bucket = "late-bucket";
        try (S3Server s3 = new S3Server(); TestHub hub = s3.configure(providers.hubOn(dataDir))
                .with("hub.storage.targets", "file:" + dataDir.resolve("storage") + ",s3://" + bucket + "/hub")
                .with("hub.cloud66.download-hosts", "127.0.0.1")
                .with("hub.fanout.max-redeliveries", "1").start()) {
            MBeanServerConnection jmx = this.jmx.connection();
            ObjectName catalog = new ObjectName("backuphub:type=catalog");
            hub.sync("cloud66");
            long queued = hub.count("SELECT COUNT(*) FROM copies");
            assertTrue(queued > 0, "the sync queued copies");

            assertEquals(queued, jmx.getAttribute(source("cloud66"), "CopiesPending"), "queued, not copied yet");
            assertEquals(0L, jmx.getAttribute(source("vprotect"), "CopiesPending"));
            assertEquals(0L, jmx.getAttribute(catalog, "DeadLetters"));

            hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null); // no bucket yet

            long s3Copies = hub.count("SELECT COUNT(*) FROM copies WHERE target LIKE 's3:%'");
            assertEquals(0L, jmx.getAttribute(source("cloud66"), "CopiesPending"), "every copy was tried");
            assertEquals(s3Copies, jmx.getAttribute(source("cloud66"), "DeadLetters"), "the S3 copies failed");
            assertEquals(0L, jmx.getAttribute(source("vprotect"), "DeadLetters"));
            assertEquals(s3Copies, jmx.getAttribute(catalog, "DeadLetters"));

            s3.createBucket(bucket);
            String replay = (String) jmx.invoke(catalog, "replayDeadLetters", null, null);

            assertTrue(replay.startsWith("copies: " + s3Copies + " queued again"), replay);
            await().atMost(Duration.ofSeconds(60)).until(() -> (Long) jmx.getAttribute(catalog, "DeadLetters") == 0L
                    && hub.count("SELECT COUNT(*) FROM copies WHERE status <> 'stored'") == 0);
            assertEquals(0L, jmx.getAttribute(source("cloud66"), "CopiesPending"));
            assertEquals(s3Copies, s3.keys(bucket).size(), "every copy stored in the bucket, once");
        }
    }
}
