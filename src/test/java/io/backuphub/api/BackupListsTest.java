package io.backuphub.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page of an instance's backups is read in one statement with its copies and the check that the caller sees the
 * instance: every backup once with all its copies, the total right at every page, and what the catalog gains between
 * two requests (written here straight to the database, as another node would) on the next one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupListsTest {

    private TestHub hub;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private long acmeInstance;
    private long emptyInstance;
    private long globexInstance;
    private final List<Long> backups = new ArrayList<>();

    @BeforeAll
    void startHub(@TempDir Path dataDir) throws Exception {
        hub = TestHub.on(dataDir).with("hub.api.clients", "acme-token=acme;globex-token=globex;all-token=*").start();
        base = "http://127.0.0.1:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}");
        hub.execute("INSERT INTO customers (name, created_at) VALUES ('acme', ?), ('globex', ?)", now(), now());
        acmeInstance = instance("acme", "vm-a");
        emptyInstance = instance("acme", "vm-empty");
        globexInstance = instance("globex", "vm-g");
        for (int i = 0; i < 45; i++) {
            backups.add(backup(acmeInstance, "a-" + i));
            backup(globexInstance, "g-" + i);
        }
        // copies of the first backup: two records, the second with two targets; none of the others
        long first = backups.get(0);
        long manifest = record(first, "manifest.json");
        long disk = record(first, "disk-0.raw");
        copy(disk, first, "file:/copies/b");
        copy(manifest, first, "file:/copies/a");
        copy(disk, first, "file:/copies/a");
    }

    @AfterAll
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void everyBackupOfAnInstanceIsListedOnceWithItsCopiesAcrossThePages() throws Exception {
        List<Long> seen = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            HttpResponse<String> response = get("acme-token", "/v1/backup_instances/" + acmeInstance
                    + "/backups?per_page=20&page=" + page);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("45", response.headers().firstValue("X-Total-Count").orElseThrow());
            for (JsonNode backup : json.readTree(response.body())) {
                seen.add(backup.get("id").asLong());
                assertEquals(acmeInstance, backup.get("backup_instance_id").asLong());
                int copies = backup.get("copies").size();
                assertEquals(backup.get("id").asLong() == backups.get(0) ? 3 : 0, copies, backup.toString());
            }
        }
        assertEquals(backups, seen, "every backup once, ascending, none of another instance");
        JsonNode copies = json.readTree(get("acme-token", "/v1/backup_instances/" + acmeInstance + "/backups")
                .body()).get(0).get("copies");
        // ordered by record, then target: the manifest's record was made first
        assertEquals("manifest.json", copies.get(0).get("record_name").asText());
        assertEquals("disk-0.raw", copies.get(1).get("record_name").asText());
        assertTrue(copies.get(1).get("target").asText().endsWith("/a"), copies.toString());
        assertTrue(copies.get(2).get("target").asText().endsWith("/b"), copies.toString());
    }

    @Test
    void aPagePastTheEndIsEmptyAndStillHasTheTotal() throws Exception {
        HttpResponse<String> response = get("acme-token", "/v1/backup_instances/" + acmeInstance + "/backups?page=9");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("[]", response.body());
        assertEquals("45", response.headers().firstValue("X-Total-Count").orElseThrow());
    }

    @Test
    void anInstanceWithoutBackupsListsNoneWithATotalOfZero() throws Exception {
        HttpResponse<String> response = get("acme-token", "/v1/backup_instances/" + emptyInstance + "/backups");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("[]", response.body());
        assertEquals("0", response.headers().firstValue("X-Total-Count").orElseThrow());
    }

    @Test
    void anotherCustomersInstanceIsNotFoundOnEveryPageAndWhateverItsPaging() throws Exception {
        for (String query : List.of("", "?page=2", "?page=9", "?per_page=1000", "?page=0")) {
            HttpResponse<String> response = get("acme-token", "/v1/backup_instances/" + globexInstance + "/backups"
                    + query);
            assertEquals(404, response.statusCode(), query + ": " + response.body());
            assertTrue(response.body().contains("\"not_found\""), response.body());
        }
        assertEquals(400, get("acme-token", "/v1/backup_instances/" + acmeInstance + "/backups?per_page=1000")
                .statusCode(), "the caller's own instance: the paging is wrong");
        assertEquals(404, get("acme-token", "/v1/backup_instances/999999/backups").statusCode());
        assertEquals("45", get("all-token", "/v1/backup_instances/" + globexInstance + "/backups").headers()
                .firstValue("X-Total-Count").orElseThrow(), "a token of every customer sees it");
    }

    @Test
    void aBackupAndACopyAddedBetweenTwoRequestsShowOnTheNext() throws Exception {
        long instance = instance("acme", "vm-growing");
        long first = backup(instance, "grow-1");
        String path = "/v1/backup_instances/" + instance + "/backups";
        JsonNode before = json.readTree(get("acme-token", path).body());
        assertEquals(1, before.size());
        assertEquals(0, before.get(0).get("copies").size());

        copy(record(first, "late.json"), first, "file:/copies/late");
        backup(instance, "grow-2");
        HttpResponse<String> after = get("acme-token", path);
        assertEquals("2", after.headers().firstValue("X-Total-Count").orElseThrow());
        JsonNode listed = json.readTree(after.body());
        assertEquals(2, listed.size());
        assertEquals(1, listed.get(0).get("copies").size(), "the new copy is listed");
    }

    private HttpResponse<String> get(String token, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private long instance(String customer, String key) throws Exception {
        hub.execute("INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source, source_key, "
                + "source_json, name, status, created_at, updated_at) VALUES ((SELECT id FROM customers WHERE name = ?), "
                + "'vprotect-vm', 'vprotect', 'vprotect', ?, '{\"protected_entity_guid\":\"" + key + "\"}', ?, 'active', "
                + "?, ?)", customer, key, key, now(), now());
        return hub.count("SELECT MAX(id) FROM backup_instances");
    }

    private long backup(long instance, String providerId) throws Exception {
        hub.execute("INSERT INTO backups (backup_instance_id, provider, source, provider_backup_id, status, type, started_at, "
                + "warnings_json, fingerprint, created_at, updated_at) VALUES (?, 'vprotect', 'vprotect', ?, 'completed', "
                + "'full', ?, '[\"slow\"]', 'f', ?, ?)", instance, providerId, now(), now(), now());
        return hub.count("SELECT MAX(id) FROM backups");
    }

    private long record(long backup, String name) throws Exception {
        hub.execute("INSERT INTO records (backup_id, backup_instance_id, endpoint_name, provider_record_id, name, content_type, "
                + "created_at) VALUES (?, (SELECT backup_instance_id FROM backups WHERE id = ?), 'files', ?, ?, "
                + "'application/octet-stream', ?)", backup, backup, name, name, now());
        return hub.count("SELECT MAX(id) FROM records");
    }

    private void copy(long record, long backup, String target) throws Exception {
        hub.execute("INSERT INTO copies (record_id, backup_id, target, storage_key, status, sha256, size_bytes, attempts, "
                + "created_at, updated_at, stored_at) VALUES (?, ?, ?, 'key', 'stored', 'abc', 1, 1, ?, ?, ?)", record,
                backup, target, now(), now(), now());
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
