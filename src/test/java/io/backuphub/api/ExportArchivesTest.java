package io.backuphub.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.CapturedLogs;
import io.backuphub.export.ExportBuilds;
import io.backuphub.fanout.Receiver;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports are built into real archives by the hub (routes/exports.yaml): requested over the API, built from the
 * records the fan-out stored, downloaded through the signed link over HTTP and read back entry by entry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportArchivesTest {

    private final Receiver webhook = new Receiver();
    private Path dataDir;
    private ApiFixture f;
    private long shopDb;
    private long backup3;
    private String exports;

    @BeforeAll
    void startHubAndStoreTheRecords(@TempDir Path dir) {
        dataDir = dir;
        f = new ApiFixture(dataDir, Map.of(
                "hub.cloud66.download-hosts", "127.0.0.1",
                "hub.notify.webhook.url", webhook.url("/hooks/exports"),
                "hub.notify.webhook.events", "export.ready"));
        f.hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
        shopDb = f.shopDb();
        backup3 = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '3'");
        exports = "/v1/backup_instances/" + shopDb + "/exports";
    }

    @AfterAll
    void stopHub() {
        f.close();
        webhook.close();
    }

    @Test
    void anExportOfABackupIsATarOfExactlyItsRecordsWithTheirStoredBytes() throws Exception {
        JsonNode export = completed(request("export_run[export_formats]=tar"));

        HttpResponse<byte[]> download = download(export.get("exported_data_url").asText());
        assertEquals(200, download.statusCode());
        assertEquals("application/x-tar", download.headers().firstValue("Content-Type").orElse(null));
        assertEquals(export.get("size_bytes").asLong(), download.body().length);
        assertEquals(Map.of("files/shop_db_3.sql.gz", simulated("sql.gz", 900), "files/shop_db_3.tar", simulated("tar", 3000)),
                entries(new TarArchiveInputStream(new ByteArrayInputStream(download.body()))));
    }

    @Test
    void aTgzExportIsGzippedAndHoldsOnlyTheRequestedContentTypes() throws Exception {
        JsonNode export = completed(request("export_run[export_formats]=tgz&export_run[content_types]=application/gzip"));
        assertEquals("[\"tar.gz\"]", export.get("export_formats").toString());

        HttpResponse<byte[]> download = download(export.get("exported_data_url").asText());
        assertEquals("application/gzip", download.headers().firstValue("Content-Type").orElse(null));
        assertEquals(Map.of("files/shop_db_3.sql.gz", simulated("sql.gz", 900)), entries(new TarArchiveInputStream(
                new GzipCompressorInputStream(new ByteArrayInputStream(download.body())))));
    }

    @Test
    void aZipExportHoldsTheSameRecords() throws Exception {
        JsonNode export = completed(request("export_run[export_formats]=zip&export_run[content_types]=application/x-tar"));

        HttpResponse<byte[]> download = download(export.get("exported_data_url").asText());
        assertEquals("application/zip", download.headers().firstValue("Content-Type").orElse(null));
        assertEquals(Map.of("files/shop_db_3.tar", simulated("tar", 3000)),
                entries(new ZipArchiveInputStream(new ByteArrayInputStream(download.body()))));
    }

    @Test
    void aDateAfterTheRecordsLeavesNothingToExportAndTheExportFailsSayingSo() {
        JsonNode export = completed(request("export_run[export_formats]=tar&export_run[export_datetime]=2099-01-01"));
        assertEquals("failed", export.get("status").asText(), export::toString);
        assertTrue(export.get("error").asText().startsWith("nothing to export: backup " + backup3), export::toString);
    }

    @Test
    void theDownloadIsRefusedAfterItsExpiryAndWorksAgainAfterReauth() throws Exception {
        long id = completed(request("export_run[export_formats]=tar&export_run[export_datetime]=2026-01-01")).get("id").asLong();
        update("UPDATE exports SET expires_at = TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' WHERE id = " + id);
        String expired = get(id).get("exported_data_url").asText();
        HttpResponse<byte[]> refused = download(expired);
        assertEquals(401, refused.statusCode());
        assertTrue(new String(refused.body()).contains("link_expired"));

        ApiFixture.Reply reauth = f.send(f.request(exports + "/" + id + "/reauth").header("Authorization", bearer(ACME))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, reauth.status(), reauth::toString);
        HttpResponse<byte[]> again = download(reauth.json().get("exported_data_url").asText());
        assertEquals(200, again.statusCode());
        assertEquals(2, entries(new TarArchiveInputStream(new ByteArrayInputStream(again.body()))).size());
    }

    @Test
    void anUnchangedExportIsReauthorizedInsteadOfRebuilt() throws Exception {
        String form = "export_run[backup_run_id]=" + backup3 + "&export_run[export_formats]=tar"
                + "&export_run[export_datetime]=2026-02-02";
        JsonNode first = completed(request(form));
        Path archive = archive(first.get("id").asLong());
        FileTime built = Files.getLastModifiedTime(archive);
        long exportsBefore = f.hub.count("SELECT COUNT(*) FROM exports");

        ApiFixture.Reply again = f.send(form(form));
        assertEquals(200, again.status(), again::toString);
        assertEquals(first.get("id"), again.json().get("id"), "the same export");
        assertEquals("completed", again.json().get("status").asText(), "not queued for a rebuild");
        assertEquals(first.get("completed_at"), again.json().get("completed_at"));
        assertTrue(Instant.parse(again.json().get("expires_at").asText())
                .isAfter(Instant.parse(first.get("expires_at").asText()).minusSeconds(1)));
        assertEquals(exportsBefore, f.hub.count("SELECT COUNT(*) FROM exports"));
        assertEquals(built, Files.getLastModifiedTime(archive), "the archive file was not written again");
        assertEquals(200, download(again.json().get("exported_data_url").asText()).statusCode());
    }

    @Test
    void aRunningExportWhoseNodeCrashedIsRebuiltByTheScheduleAndItsTempFileIsGone() throws Exception {
        ExportStore store = new ExportStore(f.hub.catalog(), Clock.systemUTC());
        long id = store.create(shopDb, backup3, "tar", "application/x-tar", null, true, false);
        update("UPDATE exports SET status = 'running', claimed_by = 'crashed-node', "
                + "claimed_until = TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' WHERE id = " + id);
        Path leftover = dataDir.resolve("storage/.exports/" + shopDb + "/export-" + id + ".tar.part-crashed");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "half an archive");

        f.hub.context().createProducerTemplate().sendBody("direct:export-build-run", null);

        JsonNode export = get(id);
        assertEquals("completed", export.get("status").asText(), export::toString);
        assertFalse(Files.exists(leftover), "the temporary file of the crashed build is gone");
        assertEquals(Map.of("files/shop_db_3.tar", simulated("tar", 3000)), entries(new TarArchiveInputStream(
                new ByteArrayInputStream(download(export.get("exported_data_url").asText()).body()))));
        assertEquals(0, f.hub.count("SELECT COUNT(*) FROM exports WHERE id = " + id + " AND claimed_by IS NOT NULL"),
                "a finished export holds no claim");
    }

    @Test
    void onlyOneClaimOnAnExportSucceeds() {
        ExportStore store = new ExportStore(f.hub.catalog(), Clock.systemUTC());
        long id = store.create(shopDb, backup3, "zip", "application/sql", null, true, false);
        ExportBuilds builds = f.hub.context().getRegistry().lookupByNameAndType("exportBuilds", ExportBuilds.class);
        assertNotNull(builds.claim(id));
        assertNull(builds.claim(id), "claimed already: a second node gets nothing");
        store.fail(id, "done with it");
    }

    @Test
    void anExportWhoseRecordsAreNotStoredYetWaitsQueuedUntilTheyAre() throws Exception {
        f.providers.cloud66.addBackup("stk-a", 77, "mysql", "shop_db", Instant.now(), 0, 4321);
        assertTrue(f.hub.sync("cloud66").succeeded());
        long backup77 = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '77'");
        try (CapturedLogs logs = CapturedLogs.start()) {
            long id = request("export_run[backup_run_id]=" + backup77).get("id").asLong();
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.containing("export " + id + " waits").isEmpty());
            assertEquals("queued", get(id).get("status").asText());

            f.hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
            f.hub.context().createProducerTemplate().sendBody("direct:export-build-run", null);
            JsonNode export = get(id);
            assertEquals("completed", export.get("status").asText(), export::toString);
            assertEquals(Map.of("files/shop_db_77.tar", Cloud66ContentHash.of(77, "tar", 4321)), entries(
                    new TarArchiveInputStream(new ByteArrayInputStream(download(export.get("exported_data_url").asText()).body()))));
        }
    }

    @Test
    void anExportThatWaitedLongerThanTheMaximumForItsRecordsFailsNamingThem() throws Exception {
        f.providers.cloud66.addBackup("stk-a", 78, "mysql", "shop_db", Instant.now(), 0, 1234);
        assertTrue(f.hub.sync("cloud66").succeeded());
        long backup78 = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '78'");
        try (CapturedLogs logs = CapturedLogs.start()) {
            long id = request("export_run[backup_run_id]=" + backup78).get("id").asLong();
            await().atMost(Duration.ofSeconds(30)).until(() -> !logs.containing("export " + id + " waits").isEmpty());
        }
        // requested two days ago (the maximum wait is one day), and its records are still not stored
        try (var c = f.hub.catalog().dataSource().getConnection();
             var ps = c.prepareStatement("UPDATE exports SET created_at = ? WHERE id = ?")) {
            ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC).minusDays(2));
            ps.setLong(2, f.hub.count("SELECT MAX(id) FROM exports"));
            ps.executeUpdate();
        }
        f.hub.context().createProducerTemplate().sendBody("direct:export-build-run", null);

        JsonNode export = get(f.hub.count("SELECT MAX(id) FROM exports"));
        assertEquals("failed", export.get("status").asText(), export::toString);
        assertTrue(export.get("error").asText().contains("shop_db_78.tar"), export::toString);
        assertTrue(export.get("exported_data_url").isNull(), export::toString);
    }

    @Test
    void exportReadyReachesTheWebhookOnceWhenAConfirmationIsAskedAndNeverOtherwise() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start()) {
            long silent = completed(request("export_run[export_formats]=tar&export_run[export_datetime]=2026-03-03"))
                    .get("id").asLong();
            JsonNode confirmed = completed(request("export_run[export_formats]=tar&export_run[export_datetime]=2026-04-04"
                    + "&export_run[send_confirmation]=true"));
            long id = confirmed.get("id").asLong();

            JsonNode event = await().atMost(Duration.ofSeconds(30)).until(() -> readyEvents(), e -> e.size() > 0).get(0);
            assertEquals("export.ready:" + id, event.get("id").asText());
            assertEquals(id, event.get("export_id").asLong());
            assertEquals(shopDb, event.get("backup_instance_id").asLong());
            assertEquals("acme", event.get("customer").asText());
            String url = event.get("download_url").asText();
            assertTrue(url.startsWith(f.baseUrl() + "/v1/backup_instances/" + shopDb + "/exports/" + id + "/download?"), url);
            assertEquals(200, download(url).statusCode());

            assertEquals(1, f.hub.count("SELECT COUNT(*) FROM notifications WHERE event = 'export.ready'"));
            assertEquals(0, f.hub.count("SELECT COUNT(*) FROM notifications WHERE event_key = 'export.ready:" + silent + "'"));
            assertEquals(1, readyEvents().size(), "once");
            String signature = url.substring(url.indexOf("signature=") + "signature=".length());
            assertTrue(logs.containing(signature).isEmpty(), "the signature is never logged");
            assertFalse(f.hub.rows("SELECT payload FROM notifications WHERE event = 'export.ready'").get(0)
                    .get("payload").toString().contains(signature), "nor stored");
        }
    }

    // ---------------------------------------------------------------- helpers

    private JsonNode request(String form) {
        ApiFixture.Reply reply = f.send(form(form.contains("backup_run_id") ? form
                : "export_run[backup_run_id]=" + backup3 + "&" + form));
        assertEquals(201, reply.status(), reply::toString);
        return reply.json();
    }

    private JsonNode completed(JsonNode requested) {
        long id = requested.get("id").asLong();
        return await().atMost(Duration.ofSeconds(30)).until(() -> get(id),
                e -> "completed".equals(e.get("status").asText()) || "failed".equals(e.get("status").asText()));
    }

    private void update(String sql) {
        f.hub.catalog().inTransaction(c -> {
            try (var statement = c.createStatement()) {
                return statement.executeUpdate(sql);
            }
        });
    }

    private JsonNode get(long id) {
        ApiFixture.Reply reply = f.get(exports + "/" + id, ACME);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    private HttpRequest.Builder form(String body) {
        return f.request(exports).header("Authorization", bearer(ACME))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private Path archive(long id) {
        String key = (String) f.hub.rows("SELECT storage_key FROM exports WHERE id = " + id).get(0).get("storage_key");
        return dataDir.resolve("storage").resolve(key);
    }

    private java.util.List<JsonNode> readyEvents() throws IOException {
        java.util.List<JsonNode> events = new java.util.ArrayList<>();
        for (Receiver.Post post : webhook.posts()) {
            JsonNode body = f.json.readTree(post.body());
            (body.has("events") ? body.get("events") : f.json.createArrayNode().add(body)).forEach(events::add);
        }
        return events;
    }

    static HttpResponse<byte[]> download(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String simulated(String fileId, long size) {
        return Cloud66ContentHash.of(3, fileId, size);
    }

    /** Entry name → SHA-256 of its bytes, read as a stream. */
    static Map<String, String> entries(ArchiveInputStream<?> archive) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (archive) {
            for (ArchiveEntry entry; (entry = archive.getNextEntry()) != null; ) {
                entries.put(entry.getName(), RecordDigestsTestSupport.sha256(archive.readAllBytes()));
            }
        }
        return entries;
    }

    /** The SHA-256 of what the Cloud66 simulator serves for a file. */
    static final class Cloud66ContentHash {
        private Cloud66ContentHash() {
        }

        static String of(long backupId, String fileId, long size) {
            try (InputStream in = Cloud66Simulator.fileContent(backupId, fileId, size)) {
                return RecordDigestsTestSupport.sha256(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
