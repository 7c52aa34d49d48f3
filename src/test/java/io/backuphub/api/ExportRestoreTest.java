package io.backuphub.api;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.CapturedLogs;
import io.backuphub.demo.cloud66.Cloud66ImportDownload;
import io.backuphub.demo.cloud66.Cloud66Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.ADMIN;
import static io.backuphub.api.ApiFixture.GLOBEX;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST .../exports/{export_id}/restore}: a completed export handed to a Cloud66 database of the same
 * caller as an external backup; the Cloud66 simulator downloads it through the signed link over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportRestoreTest {

    private Path dataDir;
    private ApiFixture f;
    private long webVm;
    private long shopDb;
    private long vmExport;

    @BeforeAll
    void startHubAndExportAVProtectBackup(@TempDir Path dir) {
        dataDir = dir;
        f = new ApiFixture(dataDir, Map.of("hub.cloud66.download-hosts", "127.0.0.1"));
        f.hub.context().createProducerTemplate().sendBody("direct:fanout-storage-run", null);
        webVm = f.webVm();
        shopDb = f.shopDb();
        ApiFixture.Reply requested = f.send(form("/v1/backup_instances/" + webVm + "/exports",
                "export_run[export_formats]=tar", ADMIN));
        assertEquals(201, requested.status(), requested::toString);
        vmExport = requested.json().get("id").asLong();
        JsonNode export = await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/v1/backup_instances/" + webVm
                + "/exports/" + vmExport, ADMIN).json(), e -> !"queued".equals(e.get("status").asText())
                && !"running".equals(e.get("status").asText()));
        assertEquals("completed", export.get("status").asText(), export::toString);
    }

    @AfterAll
    void stopHub() {
        f.close();
    }

    @Test
    void restoringAVProtectExportIntoACloud66DatabaseHandsCloud66ALinkItDownloads() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start()) {
            ApiFixture.Reply reply = restore(webVm, vmExport, "restore[backup_instance_id]=" + shopDb + "&restore[group]=7",
                    ADMIN);

            assertEquals(202, reply.status(), reply::toString);
            assertEquals(vmExport, reply.json().get("export_id").asLong());
            assertEquals(webVm, reply.json().get("source_backup_instance_id").asLong());
            assertEquals(shopDb, reply.json().get("backup_instance_id").asLong());
            assertEquals("queued", reply.json().get("status").asText());
            assertEquals("Your external backup queued for upload", reply.json().get("message").asText());

            Cloud66Request sent = f.providers.cloud66.importRequests().get(0);
            assertEquals("stk-a", sent.stackUid());
            assertEquals("7", sent.param("group"));
            assertEquals("mysql", sent.param("db_type"));
            assertTrue(sent.param("remote_url").startsWith(f.baseUrl() + "/v1/backup_instances/" + webVm + "/exports/"
                    + vmExport + "/download?expires="), "an absolute signed link of the export");

            Cloud66ImportDownload fetched = await().atMost(Duration.ofSeconds(30))
                    .until(() -> f.providers.cloud66.importDownloads(), d -> !d.isEmpty()).get(0);
            Path archive = dataDir.resolve("storage").resolve((String) f.hub.rows(
                    "SELECT storage_key FROM exports WHERE id = " + vmExport).get(0).get("storage_key"));
            assertTrue(fetched.succeeded(), fetched::toString);
            assertEquals(Files.size(archive), fetched.sizeBytes());
            assertEquals(RecordDigestsTestSupport.sha256(Files.readAllBytes(archive)), fetched.sha256(),
                    "Cloud66 got the archive's bytes");
            String signature = sent.param("remote_url").substring(sent.param("remote_url").indexOf("signature=") + 10);
            assertTrue(logs.containing(signature).isEmpty(), "the signed link is never logged");
        }
    }

    @Test
    void anotherCustomersTokenGetsNotFoundAndNothingReachesCloud66() {
        int before = f.providers.cloud66.importRequests().size();
        // acme cannot see globex's vProtect instance, nor globex acme's Cloud66 database
        assertError(restore(webVm, vmExport, "restore[backup_instance_id]=" + shopDb + "&restore[group]=7", ACME),
                404, "not_found");
        assertError(restore(webVm, vmExport, "restore[backup_instance_id]=" + shopDb + "&restore[group]=7", GLOBEX),
                404, "not_found");
        assertError(restore(webVm, 987654, "restore[backup_instance_id]=" + shopDb + "&restore[group]=7", ADMIN),
                404, "not_found");
        assertEquals(before, f.providers.cloud66.importRequests().size());
    }

    @Test
    void aRestoreIsValidatedBeforeCloud66IsAsked() {
        int before = f.providers.cloud66.importRequests().size();
        assertError(restore(webVm, vmExport, "restore[group]=7", ADMIN), 422, "missing_field");
        assertError(restore(webVm, vmExport, "restore[backup_instance_id]=" + shopDb, ADMIN), 422, "missing_field");
        assertError(restore(webVm, vmExport, "restore[backup_instance_id]=" + shopDb + "&restore[group]=seven", ADMIN),
                422, "invalid_field");
        assertError(restore(webVm, vmExport, "restore[backup_instance_id]=" + shopDb + "&restore[group]=0", ADMIN),
                422, "invalid_field");
        assertError(restore(webVm, vmExport, "restore[backup_instance_id]=" + webVm + "&restore[group]=7", ADMIN),
                422, "unsupported_target");

        long queued = new ExportStore(f.hub.catalog(), Clock.systemUTC()).create(webVm,
                f.hub.count("SELECT backup_id FROM exports WHERE id = " + vmExport), "zip", "", null, true, false);
        assertError(restore(webVm, queued, "restore[backup_instance_id]=" + shopDb + "&restore[group]=7", ADMIN),
                409, "export_not_ready");
        assertEquals(before, f.providers.cloud66.importRequests().size());
    }

    @Test
    void whatCloud66RefusesIsAnsweredAsTheProvidersRefusal() {
        f.providers.cloud66.failNext("/backups$", 1, io.backuphub.demo.Fault.status(404));
        ApiFixture.Reply reply = restore(webVm, vmExport, "restore[backup_instance_id]=" + shopDb + "&restore[group]=7",
                ADMIN);
        assertError(reply, 422, "provider_rejected");
        assertTrue(!reply.body().contains("signature="), "no link in the error");
    }

    private ApiFixture.Reply restore(long instance, long export, String body, String token) {
        return f.send(form("/v1/backup_instances/" + instance + "/exports/" + export + "/restore", body, token));
    }

    private HttpRequest.Builder form(String path, String body, String token) {
        return f.request(path).header("Authorization", bearer(token))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }
}
