package io.backuphub.demo.backupify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupifySimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private BackupifySimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = new BackupifySimulator("static-token").start().addClient("client", "secret");
        sim.addInstance(1, "cloud66-mysql", "shop", "cloud66");
        for (int i = 1; i <= 7; i++) {
            sim.addBackup(1, i, "completed", "full", T0.plusSeconds(i * 3600L), T0.plusSeconds(i * 3600L + 60), 100L * i);
        }
        sim.addRecord(3, "files", 30, "dump.tar", "application/x-tar", 70_000);
    }

    @AfterEach
    void stopSimulator() {
        sim.close();
    }

    @Test
    void aCallWithoutAValidTokenIsRefusedInTheApisErrorFormat() throws Exception {
        HttpResponse<String> refused = get("/backup_instances", "wrong");
        assertEquals(401, refused.statusCode());
        assertEquals("unauthorized", JSON.readTree(refused.body()).path("error").path("code").asText());
        assertEquals(200, get("/backup_instances", "static-token").statusCode());
    }

    @Test
    void clientCredentialsGiveATokenThatExpiresWithItsSessions() throws Exception {
        HttpResponse<String> wrong = token("client", "nope");
        assertEquals(401, wrong.statusCode());
        JsonNode granted = JSON.readTree(token("client", "secret").body());
        String token = granted.path("access_token").asText();
        assertEquals(3600, granted.path("expires_in").asLong());
        assertEquals(200, get("/backup_instances/1", token).statusCode());
        sim.failNext("^/v1/ping$", 1, Fault.expireSession());
        assertEquals(401, get("/ping", token).statusCode());
    }

    @Test
    void listsArePagedWithLinkAndTotalNewestFirst() throws Exception {
        HttpResponse<String> first = get("/backup_instances/1/backups?per_page=3", "static-token");
        assertEquals("7", first.headers().firstValue("X-Total-Count").orElseThrow());
        assertTrue(first.headers().firstValue("Link").orElseThrow().contains("page=2&per_page=3>; rel=\"next\""));
        assertEquals(7, JSON.readTree(first.body()).get(0).path("id").asLong());
        HttpResponse<String> last = get("/backup_instances/1/backups?per_page=3&page=3", "static-token");
        assertEquals(1, JSON.readTree(last.body()).size());
        assertFalse(last.headers().firstValue("Link").orElseThrow().contains("rel=\"next\""));
        assertEquals(400, get("/backup_instances/1/backups?per_page=101", "static-token").statusCode());
    }

    @Test
    void aBlobIsServedWithTheSha256ItsRecordLists() throws Exception {
        JsonNode record = JSON.readTree(get("/backup_instances/1/endpoints/files/records", "static-token").body()).get(0);
        HttpResponse<byte[]> blob = http.send(request("/backup_instances/1/endpoints/files/records/30/blob", "static-token"),
                HttpResponse.BodyHandlers.ofByteArray());
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob.body()));
        assertEquals(70_000, blob.body().length);
        assertEquals(record.path("sha256").asText(), sha256);
        assertEquals("\"" + sha256 + "\"", blob.headers().firstValue("ETag").orElseThrow());
        assertEquals(3, record.path("backup_id").asLong());
    }

    @Test
    void theRateLimitIsA429WithRetryAfter() throws Exception {
        sim.failNext("^/v1/backup_instances$", 1, Fault.throttle(7));
        HttpResponse<String> throttled = get("/backup_instances", "static-token");
        assertEquals(429, throttled.statusCode());
        assertEquals("7", throttled.headers().firstValue("Retry-After").orElseThrow());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("Authorization", "Bearer " + token).build();
    }

    private HttpResponse<String> token(String id, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + id
                        + "&client_secret=" + secret)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
