package io.backuphub.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.demo.vprotect.BackupFile;
import io.backuphub.demo.vprotect.SimulatedVProtectBackup;
import io.backuphub.demo.vprotect.VProtectSimulator;
import io.backuphub.demo.vprotect.WarningAcknowledgement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VProtectSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VM = "9b8c7d6e-0000-4000-8000-000000000001";
    private static final String APP = "9b8c7d6e-0000-4000-8000-000000000002";
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    private VProtectSimulator sim;
    /** Keeps the session cookie like the hub's client must. */
    private HttpClient http;

    @BeforeEach
    void startSimulator() {
        sim = new VProtectSimulator("admin", "s3cret").start();
        sim.addProtectedEntity(VM, "web-01", "VM");
        sim.addProtectedEntity(APP, "erp-db", "APP");
        http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    // ---------------------------------------------------------------- sessions

    @Test
    void refusesALoginWithWrongCredentials() throws Exception {
        HttpResponse<String> r = login("admin", "wrong");
        assertEquals(401, r.statusCode());
        assertTrue(json(r).path("message").isTextual());
        assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
        assertEquals(401, get("/backups").statusCode());
    }

    @Test
    void refusesEveryCallWithoutASession() throws Exception {
        HttpResponse<String> r = get("/backups");
        assertEquals(401, r.statusCode());
        assertEquals("Unauthorized", json(r).path("message").asText());
        assertEquals(401, get("/session").statusCode());
        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri("/backups"))
                .header("Cookie", "JSESSIONID=forged").build());
        assertEquals(401, forged.statusCode());
    }

    @Test
    void logsInWithASessionCookieAndReportsTheSessionValid() throws Exception {
        HttpResponse<String> r = login("admin", "s3cret");
        assertEquals(201, r.statusCode());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.matches("JSESSIONID=[0-9A-F]+; Path=/; HttpOnly"), cookie);
        JsonNode info = json(r);
        assertEquals("admin", info.path("requester").path("name").asText());
        assertTrue(info.path("requester").path("guid").isTextual());
        assertEquals("UTC", info.path("uiTimeZone").asText());
        assertTrue(info.path("privileges").isArray());
        assertEquals(204, get("/session").statusCode());
        assertEquals(200, get("/backups").statusCode());
    }

    @Test
    void needsANewLoginAfterSessionsExpire() throws Exception {
        login("admin", "s3cret");
        assertEquals(200, get("/backups").statusCode());
        sim.expireSessions();
        assertEquals(401, get("/backups").statusCode());
        assertEquals(401, get("/session").statusCode());
        login("admin", "s3cret");
        assertEquals(200, get("/backups").statusCode());
        assertEquals(2, sim.requestCount("POST", "/session/login$"));
    }

    @Test
    void endsTheSessionOnLogout() throws Exception {
        login("admin", "s3cret");
        HttpResponse<String> out = send(HttpRequest.newBuilder(uri("/session/logout"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(204, out.statusCode());
        assertEquals(0, sim.activeSessions());
        assertEquals(401, get("/backups").statusCode());
    }

    // ---------------------------------------------------------------- listing

    @Test
    void listsEveryBackupOnceAcrossPages() throws Exception {
        login("admin", "s3cret");
        for (int i = 0; i < 53; i++) {
            // pairs share a snapshot time, so only the guid tie-break keeps pages apart
            sim.addBackup(VM, guid(i), "SUCCESS", "FULL", T0.plusSeconds(i / 2 * 60L), 1000);
        }
        List<String> seen = new ArrayList<>();
        for (int page = 0; ; page++) {
            HttpResponse<String> r = get("/backups?page=" + page + "&size=10");
            assertEquals("53", r.headers().firstValue("X-Total-Count").orElseThrow());
            JsonNode list = json(r);
            if (list.isEmpty()) {
                break;
            }
            list.forEach(b -> seen.add(b.path("guid").asText()));
        }
        assertEquals(53, seen.size());
        assertEquals(53, new HashSet<>(seen).size());
        List<Long> times = new ArrayList<>();
        json(get("/backups")).forEach(b -> times.add(b.path("snapshotTime").asLong()));
        List<Long> sorted = new ArrayList<>(times);
        sorted.sort(Long::compare);
        assertEquals(sorted, times);
    }

    @Test
    void returnsEverythingWithoutATotalHeaderWhenUnpaged() throws Exception {
        login("admin", "s3cret");
        for (int i = 0; i < 25; i++) {
            sim.addBackup(VM, guid(i), "SUCCESS", "FULL", T0.plusSeconds(i), 1000);
        }
        HttpResponse<String> r = get("/backups");
        assertEquals(25, json(r).size());
        assertTrue(r.headers().firstValue("X-Total-Count").isEmpty());
    }

    @Test
    void filtersByTimeRangeStatusTypeAndProtectedEntity() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, guid(1), "SUCCESS", "FULL", T0, 10);
        sim.addBackup(VM, guid(2), "FAILED", "INCREMENTAL", T0.plusSeconds(60), 10);
        sim.addBackup(VM, guid(3), "PARTIAL_SUCCESS", "INCREMENTAL", T0.plusSeconds(120), 10);
        sim.addBackup(APP, guid(4), "SUCCESS", "FULL", T0.plusSeconds(180), 10);
        long from = T0.plusSeconds(60).toEpochMilli();
        long to = T0.plusSeconds(120).toEpochMilli();
        assertEquals(List.of(guid(2), guid(3)), guids(get("/backups?from=" + from + "&to=" + to)));
        assertEquals(List.of(guid(1), guid(3), guid(4)), guids(get("/backups?status=SUCCESS&status=PARTIAL_SUCCESS")));
        assertEquals(List.of(guid(2), guid(3)), guids(get("/backups?type=INCREMENTAL")));
        assertEquals(List.of(guid(4)), guids(get("/backups?protected-entity=" + APP)));
        assertEquals(List.of(guid(4)), guids(get("/backups?protected-entity-type=APP")));
        assertEquals(List.of(guid(3)), guids(get("/backups/detailed?protected-entity=" + VM + "&from=" + to)));
    }

    @Test
    void aGarbledBackupIsListedWithATextSizeForTheNextListingsThatContainItOnly() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, guid(1), "SUCCESS", "FULL", T0, 10);
        sim.addBackup(VM, guid(2), "SUCCESS", "FULL", T0.plusSeconds(60), 10);
        sim.garbleInListings(guid(2), 1);

        JsonNode other = json(get("/backups/detailed?page=0&size=1"));
        JsonNode garbled = json(get("/backups/detailed?page=1&size=1"));
        JsonNode healed = json(get("/backups/detailed?page=1&size=1"));

        assertEquals(10, other.get(0).path("size").asLong(), "a listing without it does not count");
        assertEquals("garbled", garbled.get(0).path("size").asText());
        assertEquals(guid(2), garbled.get(0).path("guid").asText());
        assertEquals(10, healed.get(0).path("size").asLong());
        assertEquals(10, json(get("/backups/" + guid(2))).path("size").asLong(), "its details are not garbled");
    }

    @Test
    void ordersBySnapshotTimeInEitherDirectionWithAGuidTieBreak() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, "b", "SUCCESS", "FULL", T0, 10);
        sim.addBackup(VM, "c", "SUCCESS", "FULL", T0.plusSeconds(1), 10);
        sim.addBackup(VM, "a", "SUCCESS", "FULL", T0, 10);
        assertEquals(List.of("a", "b", "c"), guids(get("/backups?orderBy=snapshotTime&direction=asc")));
        assertEquals(List.of("c", "b", "a"), guids(get("/backups?orderBy=snapshotTime&direction=desc")));
    }

    @Test
    void rejectsUnknownEnumValuesAndBadNumbers() throws Exception {
        login("admin", "s3cret");
        assertEquals(400, get("/backups?status=DONE").statusCode());
        assertEquals(400, get("/backups?type=DIFFERENTIAL").statusCode());
        assertEquals(400, get("/backups?from=yesterday").statusCode());
        assertEquals(400, get("/backups?direction=up").statusCode());
        assertTrue(json(get("/backups?page=-1&size=5")).path("message").isTextual());
    }

    @Test
    void rendersListRecordsWithEnumObjectsAndEpochMillis() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, guid(1), "SUCCESS_REMOVED", "SYNTHETIC", T0, 5_000_000_000L);
        JsonNode b = json(get("/backups")).get(0);
        assertEquals(T0.toEpochMilli(), b.path("snapshotTime").asLong());
        assertTrue(b.path("backupTime").asLong() >= T0.toEpochMilli());
        assertEquals("SUCCESS_REMOVED", b.path("status").path("name").asText());
        assertEquals("Success (removed)", b.path("status").path("description").asText());
        assertEquals("SYNTHETIC", b.path("type").path("name").asText());
        assertEquals(5_000_000_000L, b.path("size").asLong());
        assertEquals(VM, b.path("protectedEntity").path("guid").asText());
        assertEquals("web-01", b.path("protectedEntity").path("name").asText());
        assertEquals("VM", b.path("protectedEntity").path("type").path("name").asText());
        for (String field : List.of("statusInfo", "backupRule", "backupLocations", "warningsPresent", "warnings",
                "hidden", "description")) {
            assertTrue(b.has(field), "record has " + field);
        }
        assertEquals("REMOVED", b.path("backupLocations").get(0).path("status").path("name").asText());
    }

    // ---------------------------------------------------------------- details and edits

    @Test
    void showsExtendedDetailsOrNotFound() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, guid(1), "SUCCESS", "FULL", T0, 2048)
                .setBackupFiles(List.of(new BackupFile("f1", "disk0.qcow2", 2000, "/data/disk0.qcow2"),
                        new BackupFile("f2", "disk1.qcow2", 48, "/data/disk1.qcow2")));
        JsonNode d = json(get("/backups/" + guid(1)));
        assertEquals(guid(1), d.path("guid").asText());
        assertTrue(d.path("backupDestination").path("name").isTextual());
        assertTrue(d.path("policy").path("guid").isTextual());
        assertTrue(d.path("hypervisor").path("name").isTextual());
        assertEquals(2, d.path("backupFiles").size());
        assertEquals("disk1.qcow2", d.path("backupFiles").get(1).path("name").asText());
        assertEquals(48, d.path("backupFiles").get(1).path("size").asLong());
        assertFalse(d.path("warningsAcknowledged").asBoolean());
        HttpResponse<String> missing = get("/backups/does-not-exist");
        assertEquals(404, missing.statusCode());
        assertTrue(json(missing).path("message").isTextual());
    }

    @Test
    void acknowledgesWarningsAndRecordsIt() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, guid(1), "SUCCESS", "FULL", T0, 10).setWarnings(List.of("Guest agent not responding"));
        assertTrue(json(get("/backups")).get(0).path("warningsPresent").asBoolean());
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/backups/" + guid(1) + "/warnings-acknowledged"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":true}")).build());
        assertEquals(200, r.statusCode());
        assertTrue(json(r).path("warningsAcknowledged").asBoolean());
        assertEquals(List.of(new WarningAcknowledgement(guid(1), true)), sim.acknowledgedWarnings());
        assertTrue(json(get("/backups/" + guid(1))).path("warningsAcknowledged").asBoolean());
        HttpResponse<String> bad = send(HttpRequest.newBuilder(uri("/backups/" + guid(1) + "/warnings-acknowledged"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"yes\"}")).build());
        assertEquals(400, bad.statusCode());
        assertEquals(1, sim.acknowledgedWarnings().size());
    }

    @Test
    void showsStatusTransitionsOnTheNextPoll() throws Exception {
        login("admin", "s3cret");
        SimulatedVProtectBackup b = sim.addBackup(VM, guid(1), "QUEUED", "INCREMENTAL", T0, 0);
        JsonNode queued = json(get("/backups/" + guid(1)));
        assertEquals("QUEUED", queued.path("status").path("name").asText());
        assertFalse(queued.has("backupTime"));
        assertEquals(0, queued.path("backupFiles").size());
        b.setStatus("INPROGRESS");
        assertEquals(List.of(guid(1)), guids(get("/backups?status=INPROGRESS")));
        b.setSize(4096).setStatus("SUCCESS");
        JsonNode done = json(get("/backups/" + guid(1)));
        assertEquals("SUCCESS", done.path("status").path("name").asText());
        assertTrue(done.path("backupTime").isIntegralNumber());
        assertEquals(4096, done.path("size").asLong());
        assertEquals(1, done.path("backupFiles").size());
    }

    @Test
    void advancesRunningBackupsEachTimeTheyAreListedWhenAutoProgressIsOn() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, guid(1), "QUEUED", "FULL", T0, 100);
        sim.addBackup(VM, guid(2), "FAILED", "FULL", T0, 0);
        sim.setAutoProgress(true);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(json(get("/backups?protected-entity=" + VM)).get(0).path("status").path("name").asText());
        }
        assertEquals(List.of("QUEUED", "INPROGRESS", "SUCCESS", "SUCCESS"), seen);
        assertEquals("FAILED", sim.backup(guid(2)).status());
    }

    @Test
    void linksAnIncrementalToTheEntitysPreviousBackup() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, guid(1), "SUCCESS", "FULL", T0, 100);
        sim.addBackup(VM, guid(2), "SUCCESS", "INCREMENTAL", T0.plusSeconds(60), 10);
        assertEquals(guid(1), json(get("/backups/" + guid(2))).path("parentBackup").path("guid").asText());
    }

    @Test
    void listsInjectedRawJsonAsIsByItsSnapshotTime() throws Exception {
        login("admin", "s3cret");
        sim.addBackup(VM, guid(1), "SUCCESS", "FULL", T0, 10);
        sim.addBackup(VM, guid(3), "SUCCESS", "FULL", T0.plusSeconds(120), 10);
        String raw = "{\"guid\": \"raw-1\", \"status\": {\"name\": \"EXPLODED\"}, \"size\": \"lots\"}";
        sim.addRawBackupJson(T0.plusSeconds(60).toEpochMilli(), raw);
        assertThrows(IllegalArgumentException.class, () -> sim.addRawBackupJson(0, "[{"));
        HttpResponse<String> r = get("/backups");
        assertTrue(r.body().contains(raw), r.body());
        assertEquals(List.of(guid(1), "raw-1", guid(3)), guids(r));
        assertEquals(List.of(guid(1), guid(3)), guids(get("/backups?status=SUCCESS")));
        assertEquals("EXPLODED", json(get("/backups/raw-1")).path("status").path("name").asText());
        assertEquals(3, sim.backupCount());
    }

    @Test
    void refusesUnknownEnumsInTheJavaApi() {
        assertThrows(IllegalArgumentException.class, () -> sim.addBackup(VM, "x", "DONE", "FULL", T0, 1));
        assertThrows(IllegalArgumentException.class, () -> sim.addProtectedEntity("e", "e", "PHONE"));
        assertThrows(IllegalArgumentException.class, () -> sim.addBackup("nobody", "x", "SUCCESS", "FULL", T0, 1));
    }

    // ---------------------------------------------------------------- faults

    @Test
    void failsTheGivenNumberOfTimesThenAnswersNormally() throws Exception {
        login("admin", "s3cret");
        sim.failNext("/backups$", 2, Fault.status(503));
        HttpResponse<String> first = get("/backups");
        assertEquals(503, first.statusCode());
        assertTrue(json(first).path("message").isTextual());
        assertEquals(503, get("/backups").statusCode());
        assertEquals(200, get("/backups").statusCode());
        assertEquals(3, sim.requestCount("/api/backups$"));
    }

    @Test
    void throttlesWith429AndRetryAfter() throws Exception {
        login("admin", "s3cret");
        sim.failNext("/backups", 1, Fault.throttle(7));
        HttpResponse<String> r = get("/backups");
        assertEquals(429, r.statusCode());
        assertEquals("7", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, get("/backups").statusCode());
    }

    @Test
    void servesMalformedJsonWhenAskedTo() throws Exception {
        login("admin", "s3cret");
        sim.failNext("/backups", 1, Fault.malformedJson());
        HttpResponse<String> r = get("/backups");
        assertEquals(200, r.statusCode());
        assertThrows(IOException.class, () -> JSON.readTree(r.body()));
    }

    @Test
    void canFailTheLoginItselfAndUseTheNestedErrorForm() throws Exception {
        sim.failAlways("/session/login", Fault.status(500));
        sim.setNestedErrorBody(true);
        HttpResponse<String> r = login("admin", "s3cret");
        assertEquals(500, r.statusCode());
        assertTrue(json(r).path("error").path("message").isTextual());
        sim.clearFaults();
        assertEquals(201, login("admin", "s3cret").statusCode());
    }

    // ---------------------------------------------------------------- helpers

    private HttpResponse<String> login(String user, String password) throws Exception {
        return send(HttpRequest.newBuilder(uri("/session/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode().put("login", user).put("password", password).toString()))
                .build());
    }

    private URI uri(String path) {
        return URI.create(sim.baseUrl() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static List<String> guids(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), r.body());
        List<String> guids = new ArrayList<>();
        json(r).forEach(b -> guids.add(b.path("guid").asText()));
        return guids;
    }

    private static String guid(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }
}
