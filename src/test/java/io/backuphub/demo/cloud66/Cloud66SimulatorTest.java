package io.backuphub.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.demo.cloud66.SimulatedCloud66Backup;
import io.backuphub.demo.cloud66.Cloud66ImportDownload;
import io.backuphub.demo.cloud66.Cloud66Request;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.demo.cloud66.SimFile;
import io.backuphub.demo.vprotect.VProtectSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Cloud66SimulatorTest {

    private static final String TOKEN = "pat-0123456789abcdef";
    private static final String STACK = "5999b763474b0eafa5fafb64bff0ba80";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private Cloud66Simulator sim;

    @BeforeEach
    void startSimulator() {
        sim = new Cloud66Simulator(TOKEN).start();
        sim.addStack(STACK, "Storefront");
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    // ---------------------------------------------------------------- auth

    @Test
    void refusesRequestsWithoutAToken() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/stacks")).GET().build());
        assertEquals(401, r.statusCode());
        assertEquals("unauthenticated", json(r).path("error").asText());
        assertTrue(json(r).path("error_description").isTextual());
    }

    @Test
    void refusesAWrongTokenOrScheme() throws Exception {
        assertEquals(401, get("/stacks", "not-the-token").statusCode());
        HttpResponse<String> basic = send(HttpRequest.newBuilder(uri("/stacks"))
                .header("Authorization", "Basic " + TOKEN).GET().build());
        assertEquals(401, basic.statusCode());
    }

    @Test
    void acceptsTheBearerSchemeInAnyCase() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/stacks"))
                .header("Authorization", "bearer " + TOKEN).GET().build());
        assertEquals(200, r.statusCode());
    }

    @Test
    void refusesATokenThatWasReplaced() throws Exception {
        sim.setToken("rotated");
        assertEquals(401, get("/stacks", TOKEN).statusCode());
        assertEquals(200, get("/stacks", "rotated").statusCode());
    }

    // ---------------------------------------------------------------- stacks

    @Test
    void listsStacksAndGetsOneByUid() throws Exception {
        sim.addStack("b2", "Billing API").setEnvironment("staging");
        JsonNode list = json(get("/stacks"));
        assertEquals(2, list.path("pagination").path("count").asInt());
        JsonNode first = list.path("response").get(0);
        for (String field : List.of("uid", "name", "environment", "created_at_iso", "updated_at_iso", "status",
                "health", "fqdn", "account_id")) {
            assertTrue(first.has(field), "stack has " + field);
        }
        JsonNode one = json(get("/stacks/b2"));
        assertEquals("Billing API", one.path("response").path("name").asText());
        assertEquals("staging", one.path("response").path("environment").asText());
        assertEquals(1, json(get("/stacks?filter_environment=staging")).path("response").size());
        HttpResponse<String> missing = get("/stacks/nope");
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", json(missing).path("error").asText());
    }

    @Test
    void acceptsPathsWithAndWithoutTheJsonSuffix() throws Exception {
        addBackups(3);
        assertEquals(json(get("/stacks/" + STACK + "/backups")).path("response"),
                json(get("/stacks/" + STACK + "/backups.json")).path("response"));
        assertEquals(200, get("/stacks.json").statusCode());
    }

    // ---------------------------------------------------------------- backups and paging

    @Test
    void listsEveryBackupOnceAcrossPages() throws Exception {
        addBackups(75);
        List<Long> ids = new ArrayList<>();
        int page = 1;
        int requests = 0;
        while (page > 0) { // the Go client's loop: follow pagination.next until it is null
            JsonNode body = json(get("/stacks/" + STACK + "/backups?page=" + page));
            body.path("response").forEach(b -> ids.add(b.path("id").asLong()));
            JsonNode p = body.path("pagination");
            assertEquals(page, p.path("current").asInt());
            assertEquals(30, p.path("per_page").asInt());
            assertEquals(75, p.path("count").asInt());
            assertEquals(3, p.path("pages").asInt());
            assertEquals(body.path("response").size(), body.path("count").asInt());
            assertEquals(page == 1, p.path("previous").isNull());
            page = p.path("next").isNull() ? 0 : p.path("next").asInt();
            requests++;
        }
        assertEquals(3, requests);
        assertEquals(75, ids.size());
        assertEquals(75, new HashSet<>(ids).size());
        List<Long> newestFirst = new ArrayList<>(ids);
        newestFirst.sort((a, b) -> Long.compare(b, a));
        assertEquals(newestFirst, ids);
    }

    @Test
    void answersAPageBeyondTheEndWithAnEmptyListAndPagination() throws Exception {
        addBackups(5);
        JsonNode body = json(get("/stacks/" + STACK + "/backups?page=4"));
        assertEquals(0, body.path("response").size());
        assertEquals(0, body.path("count").asInt());
        assertTrue(body.path("pagination").path("next").isNull());
        assertEquals(5, body.path("pagination").path("count").asInt());
        assertEquals(1, body.path("pagination").path("pages").asInt());
    }

    @Test
    void honoursPerPageAndTheConfiguredPageSize() throws Exception {
        addBackups(12);
        JsonNode p = json(get("/stacks/" + STACK + "/backups?per_page=5&page=3")).path("pagination");
        assertEquals(3, p.path("pages").asInt());
        assertEquals(2, p.path("previous").asInt());
        assertTrue(p.path("next").isNull());
        sim.setPageSize(4);
        JsonNode body = json(get("/stacks/" + STACK + "/backups"));
        assertEquals(4, body.path("response").size());
        assertEquals(2, body.path("pagination").path("next").asInt());
    }

    @Test
    void rejectsANonNumericPage() throws Exception {
        HttpResponse<String> r = get("/stacks/" + STACK + "/backups?page=two");
        assertEquals(400, r.statusCode());
        assertEquals("bad_request", json(r).path("error").asText());
    }

    @Test
    void filtersBackupsByDbTypeAndGroup() throws Exception {
        SimulatedCloud66Backup mysql = sim.addBackup(STACK, 1, "mysql", "shop", T0, 0, 1000);
        sim.addBackup(STACK, 2, "redis", "cache", T0, 0, 1000);
        sim.addBackup(STACK, 3, "mysql", "shop", T0, 0, 1000);
        sim.addBackup(STACK, 4, "mysql", "other", T0, 0, 1000);
        JsonNode byType = json(get("/stacks/" + STACK + "/backups?db_type=mysql")).path("response");
        assertEquals(List.of(4L, 3L, 1L), ids(byType));
        JsonNode byGroup = json(get("/stacks/" + STACK + "/backups?group=" + mysql.group())).path("response");
        assertEquals(List.of(3L, 1L), ids(byGroup));
        assertEquals(0, json(get("/stacks/" + STACK + "/backups?db_type=mongodb")).path("response").size());
    }

    @Test
    void showsEveryFieldOfTheReferenceBackup() throws Exception {
        sim.addBackup(STACK, 7, "postgresql", "billing", T0, 0, 4096);
        JsonNode b = json(get("/stacks/" + STACK + "/backups/7")).path("response");
        for (String field : List.of("id", "server_uid", "db_type", "database_name", "file_base", "backup_date_iso",
                "backup_status", "backup_result", "restore_status", "restore_result", "created_at_iso",
                "updated_at_iso", "verify_status", "verify_result", "storage_path", "skip_tables", "backup_size",
                "file_name", "logical_backup", "group")) {
            assertTrue(b.has(field), "backup has " + field);
        }
        assertEquals("2024-03-01T00:00:00Z", b.path("backup_date_iso").asText());
        assertEquals(4096, b.path("backup_size").asLong());
        assertTrue(b.path("restore_result").isNull());
        assertTrue(b.path("storage_path").asText().contains("/backups/"));
    }

    @Test
    void answersNotFoundForAnUnknownBackupOrOneOfAnotherStack() throws Exception {
        sim.addStack("other", "Other");
        sim.addBackup("other", 9, "mysql", "x", T0, 0, 10);
        assertEquals(404, get("/stacks/" + STACK + "/backups/9").statusCode());
        assertEquals(404, get("/stacks/" + STACK + "/backups/abc").statusCode());
        assertEquals(404, get("/stacks/nope/backups").statusCode());
        assertEquals("not_found", json(get("/stacks/" + STACK + "/backups/1")).path("error").asText());
    }

    @Test
    void showsStatusChangesOnTheNextPoll() throws Exception {
        SimulatedCloud66Backup b = sim.addBackup(STACK, 1, "mysql", "shop", T0, 0, 1000);
        b.setUpdatedAt(T0);
        JsonNode before = json(get("/stacks/" + STACK + "/backups/1")).path("response");
        assertEquals(0, before.path("verify_status").asInt());
        b.setVerifyStatus(3).setVerifyResult("checksum mismatch").setBackupStatus(1);
        JsonNode after = json(get("/stacks/" + STACK + "/backups/1")).path("response");
        assertEquals(3, after.path("verify_status").asInt());
        assertEquals("checksum mismatch", after.path("verify_result").asText());
        assertEquals(1, after.path("backup_status").asInt());
        assertTrue(Instant.parse(after.path("updated_at_iso").asText()).isAfter(T0));
    }

    @Test
    void listsInjectedRawJsonAsIs() throws Exception {
        addBackups(2);
        sim.addRawBackupJson(STACK, "{\"id\": 100, \"db_type\": \"oracle\", \"weird\": [1, 2]}");
        sim.addRawBackupJson(STACK, "{\"db_type\":\"mysql\",\"database_name\":\"no-id\"}");
        assertThrows(IllegalArgumentException.class, () -> sim.addRawBackupJson(STACK, "{\"id\": 3,"));
        HttpResponse<String> r = get("/stacks/" + STACK + "/backups");
        assertTrue(r.body().contains("{\"id\": 100, \"db_type\": \"oracle\", \"weird\": [1, 2]}"), r.body());
        JsonNode list = json(r).path("response");
        assertEquals(4, list.size());
        assertEquals("oracle", list.get(0).path("db_type").asText());
        assertFalse(list.get(3).has("id"));
        assertEquals(4, sim.backupCount(STACK));
        assertEquals(1, json(get("/stacks/" + STACK + "/backups?db_type=oracle")).path("response").size());
        assertEquals("oracle", json(get("/stacks/" + STACK + "/backups/100")).path("response").path("db_type").asText());
    }

    @Test
    void removesBackups() throws Exception {
        addBackups(3);
        assertTrue(sim.removeBackup(STACK, 2));
        assertFalse(sim.removeBackup(STACK, 2));
        assertEquals(2, sim.backupCount(STACK));
        assertEquals(List.of(3L, 1L), ids(json(get("/stacks/" + STACK + "/backups")).path("response")));
    }

    // ---------------------------------------------------------------- files and downloads

    @Test
    void listsFilesAndHandsOutASignedUrlThatDownloadsDeterministicBytes() throws Exception {
        sim.addBackup(STACK, 11, "mysql", "shop", T0, 0, 0);
        sim.setFiles(11, List.of(new SimFile("tar", "shop_11.tar", 300_000), new SimFile("sql.gz", "shop_11.sql.gz", 1234)));
        JsonNode files = json(get("/stacks/" + STACK + "/backups/11/files"));
        assertEquals(2, files.path("pagination").path("count").asInt());
        assertEquals("tar", files.path("response").get(0).path("id").asText());
        assertEquals("shop_11.sql.gz", files.path("response").get(1).path("name").asText());
        assertEquals(301_234, json(get("/stacks/" + STACK + "/backups/11")).path("response").path("backup_size").asLong());

        JsonNode file = json(get("/stacks/" + STACK + "/backups/11/files/tar")).path("response");
        assertTrue(file.path("ok").asBoolean());
        String url = file.path("public_url").asText();
        assertTrue(url.startsWith(sim.rootUrl() + "/storage/"), url);
        assertTrue(url.contains("/shop_11.tar?AWSAccessKeyId=AKIA") && url.contains("&Expires=")
                && url.contains("&Signature="), url);

        // no Bearer header: the signature is the authorisation
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertEquals("300000", download.headers().firstValue("Content-Length").orElseThrow());
        byte[] expected;
        try (InputStream in = Cloud66Simulator.fileContent(11, "tar", 300_000)) {
            expected = in.readAllBytes();
        }
        assertArrayEquals(expected, download.body());
        assertEquals(404, get("/stacks/" + STACK + "/backups/11/files/zip").statusCode());
    }

    @Test
    void refusesDownloadsWithATamperedSignatureOrAnExpiredUrl() throws Exception {
        sim.addBackup(STACK, 12, "mysql", "shop", T0, 0, 100);
        String url = json(get("/stacks/" + STACK + "/backups/12/files/tar")).path("response").path("public_url").asText();
        String tampered = url.replaceAll("Signature=[^&]+", "Signature=AAAA");
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(tampered)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        String otherExpiry = url.replaceAll("Expires=\\d+", "Expires=9999999999");
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(otherExpiry)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());

        sim.setPublicUrlTtl(Duration.ofSeconds(-5));
        String expired = json(get("/stacks/" + STACK + "/backups/12/files/tar")).path("response").path("public_url").asText();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(expired)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("Request has expired"));
    }

    @Test
    void canDoubleEncodeTheSignatureLikeTheRealApi() throws Exception {
        sim.addBackup(STACK, 13, "mysql", "shop", T0, 0, 100);
        sim.setDoubleEncodeSignature(true);
        // a 20-byte HMAC in base64 always ends in '=', so there is always something to double-encode
        String url = json(get("/stacks/" + STACK + "/backups/13/files/tar")).path("response").path("public_url").asText();
        assertTrue(url.contains("%253D"), url);
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        String fixed = url.replace("%25", "%"); // what the Go client does
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(fixed)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void streamsAMultiGigabyteFileWithoutHoldingItAndServesRanges() throws Exception {
        long fiveGiB = 5L * 1024 * 1024 * 1024;
        sim.addBackup(STACK, 14, "postgresql", "big", T0, 0, fiveGiB);
        String url = json(get("/stacks/" + STACK + "/backups/14/files/tar")).path("response").path("public_url").asText();

        HttpResponse<InputStream> full = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, full.statusCode());
        assertEquals(String.valueOf(fiveGiB), full.headers().firstValue("Content-Length").orElseThrow());
        try (InputStream body = full.body(); InputStream expected = Cloud66Simulator.fileContent(14, "tar", fiveGiB)) {
            assertArrayEquals(expected.readNBytes(1 << 20), body.readNBytes(1 << 20));
        }

        HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Range", "bytes=" + (fiveGiB - 1000) + "-").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, tail.statusCode());
        assertEquals("bytes " + (fiveGiB - 1000) + "-" + (fiveGiB - 1) + "/" + fiveGiB,
                tail.headers().firstValue("Content-Range").orElseThrow());
        try (InputStream expected = Cloud66Simulator.fileContent(14, "tar", fiveGiB)) {
            expected.skipNBytes(fiveGiB - 1000);
            assertArrayEquals(expected.readAllBytes(), tail.body());
        }
    }

    @Test
    void failedBackupsHaveNoFiles() throws Exception {
        sim.addBackup(STACK, 15, "mysql", "shop", T0, SimulatedCloud66Backup.BACKUP_FAILED, 0);
        JsonNode files = json(get("/stacks/" + STACK + "/backups/15/files"));
        assertEquals(0, files.path("response").size());
        assertEquals(404, get("/stacks/" + STACK + "/backups/15/files/tar").statusCode());
    }

    // ---------------------------------------------------------------- POST backups

    @Test
    void recordsImportAndCreateTaskRequests() throws Exception {
        // the backup to import: any URL the simulator can fetch (here one of its own signed downloads)
        sim.addBackup(STACK, 16, "mysql", "shop", T0, 0, 2048);
        String remote = json(get("/stacks/" + STACK + "/backups/16/files/tar")).path("response").path("public_url").asText();
        HttpResponse<String> imported = post("/stacks/" + STACK + "/backups", "application/json",
                "{\"group\":3,\"db_type\":\"mysql\",\"remote_url\":\"" + remote + "\"}");
        assertEquals(200, imported.statusCode());
        assertEquals("Your external backup queued for upload", json(imported).path("response").path("message").asText());
        assertTrue(json(imported).path("response").path("ok").asBoolean());

        HttpResponse<String> created = post("/stacks/" + STACK + "/backups.json", "application/x-www-form-urlencoded",
                "db_type=mysql%2Cpostgresql&frequency=0+2+*+*+*&keep_count=7&gzip=true");
        assertEquals("queued for creation", json(created).path("response").path("message").asText());

        List<Cloud66Request> imports = sim.importRequests();
        assertEquals(1, imports.size());
        assertEquals(STACK, imports.get(0).stackUid());
        assertEquals(remote, imports.get(0).param("remote_url"));
        // like Cloud66, the simulator fetches the backup once it has queued the import
        Cloud66ImportDownload fetched = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(sim::importDownloads, d -> !d.isEmpty()).get(0);
        assertTrue(fetched.succeeded(), fetched::toString);
        assertEquals(2048, fetched.sizeBytes());
        try (InputStream expected = Cloud66Simulator.fileContent(16, "tar", 2048)) {
            assertEquals(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(expected.readAllBytes())), fetched.sha256());
        }
        assertEquals("3", imports.get(0).param("group"));
        List<Cloud66Request> tasks = sim.backupTaskRequests();
        assertEquals(1, tasks.size());
        assertEquals("mysql,postgresql", tasks.get(0).param("db_type"));
        assertEquals("0 2 * * *", tasks.get(0).param("frequency"));
    }

    @Test
    void refusesInvalidOrUnauthorisedPosts() throws Exception {
        assertEquals(401, send(HttpRequest.newBuilder(uri("/stacks/" + STACK + "/backups"))
                .POST(HttpRequest.BodyPublishers.ofString("db_type=mysql")).build()).statusCode());
        assertEquals(400, post("/stacks/" + STACK + "/backups", "application/json",
                "{\"db_type\":\"oracle\"}").statusCode());
        assertEquals(400, post("/stacks/" + STACK + "/backups", "application/json",
                "{\"db_type\":\"mysql\",\"remote_url\":\"https://x/y\"}").statusCode()); // group missing
        assertEquals(400, post("/stacks/" + STACK + "/backups", "application/json",
                "{\"group\":3,\"db_type\":\"mysql\"}").statusCode()); // remote_url missing
        assertEquals(400, post("/stacks/" + STACK + "/backups", "application/json",
                "{\"group\":3,\"remote_url\":\"https://x/y\"}").statusCode()); // db_type missing
        assertEquals(404, post("/stacks/nope/backups", "application/json", "{}").statusCode());
        sim.setScopes("public");
        HttpResponse<String> forbidden = post("/stacks/" + STACK + "/backups", "application/json", "{}");
        assertEquals(403, forbidden.statusCode());
        assertEquals("forbidden", json(forbidden).path("error").asText());
        assertTrue(sim.importRequests().isEmpty() && sim.backupTaskRequests().isEmpty());
    }

    // ---------------------------------------------------------------- faults and rate limit

    @Test
    void failsTheGivenNumberOfTimesThenAnswersNormally() throws Exception {
        addBackups(2);
        sim.failNext("/backups$", 2, Fault.status(500));
        HttpResponse<String> first = get("/stacks/" + STACK + "/backups");
        assertEquals(500, first.statusCode());
        assertTrue(json(first).path("error").isTextual() && json(first).path("error_description").isTextual());
        assertEquals(200, get("/stacks/" + STACK + "/backups/1").statusCode()); // other path: untouched
        assertEquals(500, get("/stacks/" + STACK + "/backups.json").statusCode());
        assertEquals(200, get("/stacks/" + STACK + "/backups").statusCode());
        assertEquals(3, sim.requestCount("/stacks/[^/]+/backups$"));
        assertEquals(3, sim.requestCount("GET", "/backups$"));
    }

    @Test
    void consumesQueuedFaultsInOrder() throws Exception {
        sim.failNext("/stacks$", 1, Fault.throttle(30));
        sim.failNext("/stacks$", 1, Fault.malformedJson());
        HttpResponse<String> throttled = get("/stacks");
        assertEquals(503, throttled.statusCode());
        assertEquals("throttled", json(throttled).path("error").asText());
        HttpResponse<String> malformed = get("/stacks");
        assertEquals(200, malformed.statusCode());
        assertThrows(IOException.class, () -> JSON.readTree(malformed.body()));
        assertEquals(200, get("/stacks").statusCode());
    }

    @Test
    void failsAlwaysUntilFaultsAreCleared() throws Exception {
        sim.failAlways("/stacks", Fault.status(502));
        for (int i = 0; i < 3; i++) {
            assertEquals(502, get("/stacks").statusCode());
        }
        sim.clearFaults();
        assertEquals(200, get("/stacks").statusCode());
    }

    @Test
    void delaysAnswersWhenAskedTo() throws Exception {
        sim.failNext("/stacks", 1, Fault.delay(Duration.ofMillis(300)));
        long start = System.nanoTime();
        assertEquals(200, get("/stacks").statusCode());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
    }

    @Test
    void sendsRateLimitHeadersAndThrottlesWhenTheHourIsUsedUp() throws Exception {
        sim.setRateLimit(3);
        HttpResponse<String> r = get("/stacks");
        assertEquals("3", r.headers().firstValue("X-RateLimit-Limit").orElseThrow());
        assertEquals("2", r.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
        get("/stacks");
        get("/stacks");
        HttpResponse<String> over = get("/stacks");
        assertEquals(503, over.statusCode());
        assertEquals("throttled", json(over).path("error").asText());
        assertEquals("0", over.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
    }

    // ---------------------------------------------------------------- demo data

    @Test
    void demoDataSeedsAMonthOfBackupsOnBothSimulatorsDeterministically() throws Exception {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");
        try (Cloud66Simulator a = new Cloud66Simulator("t").start(); Cloud66Simulator b = new Cloud66Simulator("t");
             VProtectSimulator va = new VProtectSimulator("u", "p"); VProtectSimulator vb = new VProtectSimulator("u", "p")) {
            DemoData.seed(a, va, 42, now);
            DemoData.seed(b, vb, 42, now);
            assertEquals(3, a.stacks().size());
            int total = a.stacks().stream().mapToInt(s -> a.backupCount(s.uid())).sum();
            assertEquals(150, total);
            assertEquals(200, va.backupCount());
            assertEquals(6, va.protectedEntities().size());
            Set<String> statuses = new HashSet<>();
            va.backups().forEach(x -> statuses.add(x.status()));
            assertTrue(statuses.containsAll(List.of("SUCCESS", "FAILED", "INPROGRESS", "QUEUED")), statuses.toString());
            for (var s : a.stacks()) {
                List<SimulatedCloud66Backup> x = a.backups(s.uid());
                List<SimulatedCloud66Backup> y = b.backups(s.uid());
                assertEquals(x.size(), y.size());
                for (int i = 0; i < x.size(); i++) {
                    assertEquals(x.get(i).toJson(), y.get(i).toJson());
                }
                assertTrue(x.stream().allMatch(k -> k.backupDate().isAfter(now.minus(Duration.ofDays(31)))));
            }
            assertEquals(va.backups().get(0).guid(), vb.backups().get(0).guid());

            // the seeded files are downloadable through the simulator
            String stack = a.stacks().get(0).uid();
            SimulatedCloud66Backup ok = a.backups(stack).stream().filter(k -> !k.files().isEmpty()).findFirst().orElseThrow();
            HttpRequest req = HttpRequest.newBuilder(URI.create(a.baseUrl() + "/stacks/" + stack + "/backups/" + ok.id()
                    + "/files/tar")).header("Authorization", "Bearer t").build();
            String url = json(http.send(req, HttpResponse.BodyHandlers.ofString())).path("response").path("public_url").asText();
            HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(ok.files().get(0).sizeBytes(), file.body().length);
        }
    }

    @Test
    void demoDataKeepsProducingNewBackups() throws Exception {
        try (Cloud66Simulator c = new Cloud66Simulator("t"); VProtectSimulator v = new VProtectSimulator("u", "p")) {
            DemoData.seed(c, v, 7);
            int before = c.stacks().stream().mapToInt(s -> c.backupCount(s.uid())).sum();
            int vBefore = v.backupCount();
            AutoCloseable producer = DemoData.keepProducing(c, v, Duration.ofMillis(50));
            try {
                long deadline = System.currentTimeMillis() + 5000;
                while (v.backupCount() < vBefore + 2 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
            } finally {
                producer.close();
            }
            assertTrue(v.backupCount() >= vBefore + 2);
            assertTrue(c.stacks().stream().mapToInt(s -> c.backupCount(s.uid())).sum() >= before + 2);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void addBackups(int n) {
        for (int i = 1; i <= n; i++) {
            sim.addBackup(STACK, i, i % 2 == 0 ? "mysql" : "postgresql", "db", T0.plusSeconds(i * 60L), 0, 100L * i);
        }
    }

    private URI uri(String path) {
        return URI.create(sim.baseUrl() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, TOKEN);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static List<Long> ids(JsonNode list) {
        List<Long> ids = new ArrayList<>();
        list.forEach(b -> ids.add(b.path("id").asLong()));
        return ids;
    }
}
