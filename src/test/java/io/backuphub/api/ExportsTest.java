package io.backuphub.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertError;
import static io.backuphub.api.Contract.assertExport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export model: queued → running → completed or failed, an unchanged export re-authorized instead of
 * rebuilt unless force_full, and a download link signed with an expiry that only reauth renews.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportsTest {

    private Path dataDir;
    private ApiFixture f;
    private ExportStore store;
    private long analytics;
    private String exports;

    @BeforeAll
    void startHub(@TempDir Path dir) {
        dataDir = dir;
        // the test moves exports itself (standing in for the archive builder): no build on request
        f = new ApiFixture(dataDir, Map.of("hub.exports.build-on-request", "false"));
        store = new ExportStore(f.hub.catalog(), Clock.systemUTC());
        analytics = f.instanceId("Shop analytics (postgresql)");
        exports = "/v1/backup_instances/" + analytics + "/exports";
    }

    @AfterAll
    void stopHub() {
        f.close();
    }

    @Test
    void anUnchangedExportIsReusedAndReauthorizedUnlessForcedFull() throws Exception {
        JsonNode first = post("export_run[content_types]=application/sql&export_run[export_formats]=zip", 201);
        assertEquals("queued", first.get("status").asText());
        long newest = f.hub.count("SELECT b.id FROM backups b WHERE b.backup_instance_id = " + analytics
                + " ORDER BY b.started_at DESC FETCH FIRST 1 ROWS ONLY");
        assertEquals(newest, first.get("backup_id").asLong(), "the instance's most recent backup");

        JsonNode again = post("export_run[content_types]=application/sql&export_run[export_formats]=zip", 200);
        assertEquals(first.get("id"), again.get("id"), "still queued: the same export");

        JsonNode forced = post("export_run[content_types]=application/sql&export_run[export_formats]=zip"
                + "&export_run[force_full]=true", 201);
        assertNotEquals(first.get("id"), forced.get("id"));
        assertTrue(forced.get("force_full").asBoolean());

        long id = first.get("id").asLong();
        complete(id, Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS));
        JsonNode completed = f.get(exports + "/" + id, ACME).json();
        JsonNode reused = post("export_run[export_formats]=zip&export_run[content_types]=application/sql", 200);
        assertEquals(id, reused.get("id").asLong(), "completed and unchanged: re-authorized, not rebuilt");
        assertEquals("completed", reused.get("status").asText());
        assertTrue(Instant.parse(reused.get("expires_at").asText()).isAfter(Instant.parse(completed.get("expires_at").asText())));

        JsonNode otherFilter = post("export_run[content_types]=application/x-tar&export_run[export_formats]=zip", 201);
        assertNotEquals(id, otherFilter.get("id").asLong(), "other filters: another export");
    }

    @Test
    void theStateMachineOnlyMovesForward() throws Exception {
        JsonNode export = post("export_run[export_formats]=tar&export_run[send_confirmation]=1", 201);
        long id = export.get("id").asLong();
        assertTrue(export.get("send_confirmation").asBoolean());
        assertFalse(store.complete(id, "x", 1, Instant.now()), "queued cannot complete");
        assertTrue(store.start(id));
        assertFalse(store.start(id), "running cannot start again");
        assertTrue(store.fail(id, "storage target full"));
        assertFalse(store.fail(id, "again"), "failed is final");
        assertFalse(store.complete(id, "x", 1, Instant.now()), "failed is final");

        JsonNode failed = f.get(exports + "/" + id, ACME).json();
        assertExport(failed);
        assertEquals("failed", failed.get("status").asText());
        assertEquals("storage target full", failed.get("error").asText());
        assertTrue(failed.get("exported_data_url").isNull());
        assertEquals(201, f.send(form(exports, "export_run[export_formats]=tar")).status(), "a failed export is not reused");
        assertError(reauth(id), 409, "export_not_ready");
    }

    @Test
    void theDownloadLinkIsSignedAndExpiresUntilReauthorized() throws Exception {
        long id = post("export_run[export_formats]=tar&export_run[export_datetime]=2026-10-01", 201).get("id").asLong();
        complete(id, Instant.now().minus(1, ChronoUnit.MINUTES));
        String expired = f.get(exports + "/" + id, ACME).json().get("exported_data_url").asText();
        assertError(download(expired), 401, "link_expired");

        String fresh = reauth(id).json().get("exported_data_url").asText();
        ApiFixture.Reply ok = download(fresh);
        assertEquals(200, ok.status());
        assertEquals("archive of export " + id, ok.body());

        String signature = fresh.substring(fresh.indexOf("signature=") + 10);
        String altered = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        assertError(download(fresh.replace(signature, altered)), 401, "invalid_signature");
        assertError(download(fresh.replaceAll("expires=\\d+", "expires=99999999999")), 401, "invalid_signature");
        assertError(download(fresh.replaceAll("&signature=.*", "")), 401, "invalid_signature");
    }

    @Test
    void anInstanceWithoutACompletedBackupHasNothingToExport() throws Exception {
        f.vprotectHas("vm-empty", "VM", "FAILED");
        long globex = f.hub.count("SELECT id FROM customers WHERE name = 'globex'");
        ApiFixture.Reply registered = f.send(form("/v1/backup_instances", "backup_instance[backup_definition_id]=vprotect-vm"
                + "&backup_instance[customer_id]=" + globex + "&backup_instance[backup_frequency]=manual"
                + "&backup_instance[protected_entity_guid]=vm-empty", ApiFixture.GLOBEX));
        assertEquals(201, registered.status(), registered::toString);
        ApiFixture.Reply reply = f.send(form("/v1/backup_instances/" + registered.json().get("id").asLong() + "/exports",
                "", ApiFixture.GLOBEX));
        assertError(reply, 409, "no_backup");
    }

    @Test
    void nestedJsonNamesWorkLikeTheFormsBracketedOnes() throws Exception {
        ApiFixture.Reply reply = f.send(f.request(exports).header("Authorization", bearer(ACME))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"export_run\":{\"content_types\":[\"application/json\","
                        + "\"Application/SQL\"],\"force_full\":true,\"export_datetime\":\"2026-10-02\"}}")));
        assertEquals(201, reply.status(), reply::toString);
        assertEquals("[\"application/json\",\"application/sql\"]", reply.json().get("content_types").toString());
        assertEquals("2026-10-02", reply.json().get("export_datetime").asText());
        assertTrue(reply.json().get("force_full").asBoolean());
    }

    private JsonNode post(String formBody, int status) {
        ApiFixture.Reply reply = f.send(form(exports, formBody));
        assertEquals(status, reply.status(), reply::toString);
        assertExport(reply.json());
        return reply.json();
    }

    private HttpRequest.Builder form(String path, String body) {
        return form(path, body, ACME);
    }

    private HttpRequest.Builder form(String path, String body, String token) {
        return f.request(path).header("Authorization", bearer(token))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private ApiFixture.Reply reauth(long id) {
        return f.send(f.request(exports + "/" + id + "/reauth").header("Authorization", bearer(ACME))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private ApiFixture.Reply download(String url) {
        return f.send(HttpRequest.newBuilder(URI.create(url)));
    }

    /** Stands in for what builds archives: stores one and completes the export. */
    private void complete(long id, Instant expiresAt) throws Exception {
        Path archive = dataDir.resolve("storage/exports/" + id + ".tar");
        Files.createDirectories(archive.getParent());
        Files.writeString(archive, "archive of export " + id);
        assertTrue(store.start(id));
        assertTrue(store.complete(id, "exports/" + id + ".tar", Files.size(archive), expiresAt));
    }
}
