package io.backuphub.provider.backupify;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.backuphub.CapturedLogs;
import io.backuphub.TestHub;
import io.backuphub.demo.Fault;
import io.backuphub.demo.backupify.BackupifySimulator;
import io.backuphub.demo.backupify.SimulatedBackup;
import io.backuphub.demo.backupify.SimulatedRecord;
import io.backuphub.fanout.storage.CopySteps;
import io.backuphub.fanout.storage.CopyTask;
import io.backuphub.fanout.storage.HashingInputStream;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.backupify.BackupifyOnHub.CONNECTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hub polls a Backupify v1 API (the simulator) over HTTP into the H2 catalog, and opens its record blobs. */
class BackupifySourceTest {

    @TempDir
    Path dataDir;

    private final BackupifySimulator upstream = UpstreamData.start();

    @AfterEach
    void stopSimulator() throws Exception {
        upstream.close();
    }

    @Test
    void everyUpstreamBackupLandsWithItsInstanceStatusTimesSizeRecordsAndHashes() throws Exception {
        try (TestHub hub = BackupifyOnHub.hub(dataDir, upstream).with("hub.sources.up.token", UpstreamData.TOKEN).start()) {
            SyncRun run = hub.sync(CONNECTION);
            assertTrue(run.succeeded(), run.error());
            assertEquals(UpstreamData.BACKUPS, run.newCount());
            assertEquals(UpstreamData.BACKUPS, hub.count("SELECT COUNT(*) FROM backups WHERE source = 'up'"));

            assertEquals(List.of(
                    Map.of("source_key", "11", "backup_definition_id", "backupify-cloud66-mysql", "name", "Shop shop_db (mysql)"),
                    Map.of("source_key", "12", "backup_definition_id", "backupify-vprotect-vm", "name", "web-01"),
                    Map.of("source_key", "13", "backup_definition_id", "backupify-instance", "name", "Mailboxes EU")),
                    hub.rows("SELECT i.source_key, i.backup_definition_id, i.name FROM backup_instances i "
                            + "JOIN customers c ON c.id = i.customer_id WHERE i.source = 'up' AND c.name = 'acme' "
                            + "ORDER BY i.source_key"));

            for (SimulatedBackup expected : upstream.backups()) {
                Map<String, Object> backup = hub.rows("SELECT status, type, size_bytes, started_at, completed_at, "
                        + "provider_status FROM backups WHERE source = 'up' AND provider_backup_id = '" + expected.id()
                        + "'").get(0);
                assertEquals(expected.status(), backup.get("status"), "backup " + expected.id());
                assertEquals(expected.type(), backup.get("type"));
                assertEquals(expected.sizeBytes(), ((Number) backup.get("size_bytes")).longValue());
                assertEquals(expected.status(), backup.get("provider_status"));
                assertEquals(expected.startedAt(), ((java.time.OffsetDateTime) backup.get("started_at")).toInstant());
                if (expected.completedAt() == null) {
                    assertNull(backup.get("completed_at"));
                } else {
                    assertEquals(expected.completedAt(), ((java.time.OffsetDateTime) backup.get("completed_at")).toInstant());
                }
            }

            Map<String, String> hashes = hub.rows("SELECT r.provider_record_id, r.endpoint_name, r.name, r.size_bytes, "
                    + "r.sha256, b.provider_backup_id FROM records r JOIN backups b ON b.id = r.backup_id "
                    + "WHERE b.source = 'up'").stream().collect(Collectors.toMap(r -> (String) r.get("provider_record_id"),
                    r -> r.get("provider_backup_id") + "/" + r.get("endpoint_name") + "/" + r.get("name") + "/"
                            + r.get("size_bytes") + "/" + r.get("sha256")));
            Map<String, String> expected = new HashMap<>();
            for (SimulatedRecord r : upstream.records()) {
                expected.put(Long.toString(r.id()), r.backupId() + "/" + r.endpoint() + "/" + r.name() + "/"
                        + r.sizeBytes() + "/" + r.sha256());
            }
            assertEquals(expected, hashes);
        }
    }

    @Test
    void theFanOutCopiesEveryRecordStreamedFromTheUpstreamWithItsSha256() throws Exception {
        Path storage = dataDir.resolve("storage");
        try (TestHub hub = BackupifyOnHub.hub(dataDir, upstream).with("hub.sources.up.token", UpstreamData.TOKEN)
                .with("hub.storage.targets", "file:" + storage).start()) {
            hub.sync(CONNECTION);
            hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);

            Map<String, String> upstreamHashes = upstream.records().stream()
                    .collect(Collectors.toMap(r -> Long.toString(r.id()), SimulatedRecord::sha256));
            List<Map<String, Object>> copies = hub.rows("SELECT x.status, x.sha256, x.storage_key, r.provider_record_id "
                    + "FROM copies x JOIN records r ON r.id = x.record_id");
            assertEquals(upstreamHashes.size(), copies.size(), "one copy of every record: " + copies);
            for (Map<String, Object> copy : copies) {
                assertEquals("stored", copy.get("status"), copy.toString());
                assertEquals(upstreamHashes.get((String) copy.get("provider_record_id")), copy.get("sha256"));
                try (HashingInputStream in = new HashingInputStream(
                        java.nio.file.Files.newInputStream(storage.resolve((String) copy.get("storage_key"))))) {
                    in.transferTo(OutputStream.nullOutputStream());
                    assertEquals(copy.get("sha256"), in.sha256Hex());
                }
            }
            assertEquals(upstreamHashes.size(), upstream.requestCount("/blob$"), "each blob read once");
        }
    }

    @Test
    void aRegistrationIsRefusedWhenTheUpstreamHasNoSuchInstanceOrItIsOfAnotherDefinitionAndTakenWhenItHasIt() throws Exception {
        try (TestHub hub = BackupifyOnHub.hub(dataDir, upstream).with("hub.sources.up.token", UpstreamData.TOKEN)
                .with("hub.api.clients", "acme-token=acme").start()) {
            hub.sync(CONNECTION);
            upstream.addInstance(14, "cloud66-redis", "Blog cache (redis)", "cloud66");
            long acme = hub.count("SELECT id FROM customers WHERE name = 'acme'");
            String port = hub.context().resolvePropertyPlaceholders("{{hub.api.port}}");

            java.net.http.HttpResponse<String> otherKind = register(port, acme, "backupify-cloud66-mysql", "14");
            assertEquals(422, otherKind.statusCode(), otherKind.body());
            assertTrue(otherKind.body().contains("is of definition backupify-cloud66-redis"), otherKind.body());

            java.net.http.HttpResponse<String> missing = register(port, acme, "backupify-instance", "99");
            assertEquals(422, missing.statusCode(), missing.body());
            assertTrue(missing.body().contains("has no backup_instance '99'"), missing.body());

            java.net.http.HttpResponse<String> registered = register(port, acme, "backupify-instance", "14");
            assertEquals(201, registered.statusCode(), registered.body());
            assertEquals(1, hub.count("SELECT COUNT(*) FROM backup_instances WHERE source = 'up' AND source_key = '14'"),
                    "the upstream's instance 14 is registered on the connection");
        }
    }

    private static java.net.http.HttpResponse<String> register(String port, long customer, String definition,
                                                               String upstreamId)
            throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/v1/backup_instances"))
                .header("Authorization", "Bearer acme-token")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("backup_instance[backup_definition_id]="
                        + definition + "&backup_instance[customer_id]=" + customer
                        + "&backup_instance[backup_frequency]=manual&backup_instance[backup_instance_id]=" + upstreamId))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConnectionWithNeitherATokenNorClientCredentialsStaysOffAndNamesBothWays() {
        try (CapturedLogs log = CapturedLogs.start();
             TestHub hub = BackupifyOnHub.hub(dataDir, upstream).with("hub.sources.up.client-id", UpstreamData.CLIENT)
                     .start()) {
            assertNull(hub.context().getRoute(CONNECTION + "-poll"));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("source=up is off: no credentials. Set "
                    + "hub.sources.up.token (environment: HUB_SOURCES_UP_TOKEN), or hub.sources.up.client-secret "
                    + "(environment: HUB_SOURCES_UP_CLIENT_SECRET) to turn it on")), log.lines().toString());
        }
    }

    @Test
    void aSecondPollReadsNoRecordsUnlessABackupChanged() throws Exception {
        try (TestHub hub = BackupifyOnHub.hub(dataDir, upstream).with("hub.sources.up.token", UpstreamData.TOKEN).start()) {
            hub.sync(CONNECTION);
            upstream.resetRequestCounts();

            SyncRun again = hub.sync(CONNECTION);
            assertTrue(again.succeeded(), again.error());
            assertEquals(0, again.newCount() + again.updatedCount());
            assertEquals(0, upstream.requestCount("/endpoints"), "nothing new: no endpoint or record is read");

            upstream.backup(121).finish("completed", upstream.backup(121).startedAt().plusSeconds(900), 9999L);
            upstream.addRecord(121, "files", 5000, "dump-121.tar", "application/x-tar", 4321);
            SyncRun changed = hub.sync(CONNECTION);
            assertEquals(1, changed.updatedCount());
            assertEquals("completed", hub.rows("SELECT status FROM backups WHERE source = 'up' "
                    + "AND provider_backup_id = '121'").get(0).get("status"));
            assertEquals(upstream.records().stream().filter(r -> r.id() == 5000).findFirst().orElseThrow().sha256(),
                    hub.rows("SELECT sha256 FROM records WHERE provider_record_id = '5000'").get(0).get("sha256"));
            assertEquals(1, upstream.requestCount("^/v1/backup_instances/12/endpoints$"),
                    "only the changed backup's instance has its records read");
            assertEquals(0, upstream.requestCount("^/v1/backup_instances/11/endpoints$"));
        }
    }

    @Test
    void oauthClientCredentialsAreFetchedOnceAndAgainWhenTheUpstreamRefusesTheToken() throws Exception {
        try (TestHub hub = BackupifyOnHub.hub(dataDir, upstream).with("hub.sources.up.client-id", UpstreamData.CLIENT)
                .with("hub.sources.up.client-secret", UpstreamData.SECRET).start()) {
            // the token expires in the middle of the poll
            upstream.failNext("^/v1/backup_instances/12/backups$", 1, Fault.expireSession());
            SyncRun run = hub.sync(CONNECTION);
            assertTrue(run.succeeded(), run.error());
            assertEquals(UpstreamData.BACKUPS, run.newCount());
            assertEquals(2, upstream.tokensIssued(), "one token, and one more after the upstream refused the first");
        }
    }

    @Test
    void aThrottledCallWaitsForRetryAfterAndAServerErrorIsRetried() throws Exception {
        try (TestHub hub = BackupifyOnHub.hub(dataDir, upstream).with("hub.sources.up.token", UpstreamData.TOKEN)
                .with("hub.http.max-redelivery-delay-ms", "5000").start()) {
            upstream.failNext("^/v1/backup_instances/11/backups$", 1, Fault.tooManyRequests(1));
            upstream.failNext("^/v1/backup_instances/13/endpoints$", 1, Fault.status(503));
            SyncRun run = hub.sync(CONNECTION);
            assertTrue(run.succeeded(), run.error());
            assertEquals(UpstreamData.BACKUPS, run.newCount());
            List<Long> times = upstream.requestTimes("^/v1/backup_instances/11/backups$");
            assertTrue(times.get(1) - times.get(0) >= 900, "the retry waited for Retry-After: " + times);
        }
    }

    @Test
    void aRecordOpensAsTheUpstreamBlobStreamWithItsHash() throws Exception {
        try (TestHub hub = BackupifyOnHub.hub(dataDir, upstream).with("hub.sources.up.token", UpstreamData.TOKEN).start()) {
            hub.sync(CONNECTION);
            SimulatedRecord record = upstream.records().get(3);
            Map<String, Object> row = hub.rows("SELECT r.id, r.backup_id, r.backup_instance_id, r.sha256 FROM records r "
                    + "WHERE r.provider_record_id = '" + record.id() + "'").get(0);
            CopyTask task = new CopyTask(1, ((Number) row.get("id")).longValue(), ((Number) row.get("backup_id")).longValue(),
                    ((Number) row.get("backup_instance_id")).longValue(), "acme", BackupifyProvider.ID, Long.toString(record.backupId()),
                    record.endpoint(), Long.toString(record.id()), record.name(), record.contentType(), "file:x", "k",
                    (String) row.get("sha256"), Map.of("backup_instance_id", Long.toString(record.instanceId())), CONNECTION, 1);
            // the stream is read within the exchange, as the fan-out's storage step reads it
            hub.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:hash-opened-record").streamCache("false")
                            .to("direct:" + CONNECTION + "-open-record")
                            .process(e -> {
                                try (HashingInputStream in = new HashingInputStream(e.getMessage().getBody(InputStream.class))) {
                                    in.transferTo(OutputStream.nullOutputStream());
                                    e.getMessage().setBody(in.sha256Hex() + "/" + in.count());
                                }
                            });
                }
            });
            Exchange opened = hub.context().createProducerTemplate().send("direct:hash-opened-record",
                    e -> e.getMessage().setBody(task));
            assertNull(opened.getException());
            assertEquals(record.sizeBytes(), opened.getProperty(CopySteps.DECLARED_SIZE, Long.class));
            assertEquals(record.sha256() + "/" + record.sizeBytes(), opened.getMessage().getBody(String.class));
        }
    }
}
