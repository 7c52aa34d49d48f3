package io.backuphub.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backuphub.CapturedLogs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the HTTP server answers for requests the API's routes never see as such: bodies on GET, HEAD, requests
 * over the limits, undecodable forms and headers, dot segments, ids that are only almost ids. Each is answered
 * normally or with the API's JSON error, never a 500, an HTML page or an empty body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiHardeningTest {

    private ApiFixture f;
    private RawHttp http;
    private long shopDb;

    @BeforeAll
    void startHub(@TempDir Path dataDir) {
        f = new ApiFixture(dataDir);
        http = RawHttp.of(f);
        shopDb = f.shopDb();
    }

    @AfterAll
    void stopHub() {
        f.close();
    }

    private static Map<String, String> headers(String... nameValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    private static Map<String, String> auth(String... more) {
        Map<String, String> headers = headers(more);
        headers.put("Authorization", ApiFixture.bearer(ApiFixture.ADMIN));
        return headers;
    }

    private static void assertJsonError(RawHttp.Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer::toString);
        assertNotNull(answer.header("Content-Type"), answer::toString);
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer::toString);
        assertEquals(code, answer.errorCode(), answer::toString);
        assertTrue(answer.json().path("error").path("message").isTextual(), answer::toString);
    }

    @Test
    void aGetWithAnEmptyFormOrMultipartBodyAnswersAsAGetWithoutOne() {
        String list = "/v1/backup_instances";
        RawHttp.Answer plain = http.send("GET", list, auth(), null);
        assertEquals(200, plain.status(), plain::toString);
        try (CapturedLogs logs = CapturedLogs.start()) {
            for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
                    "application/x-www-form-urlencoded; charset=UTF-8")) {
                // what openapi-generator's bash client sends on every call: curl -d '' -X GET
                RawHttp.Answer empty = http.send("GET", list, auth("Content-Type", type, "Content-Length", "0"), null);
                assertEquals(200, empty.status(), type + ": " + empty);
                assertEquals(plain.json(), empty.json(), type);
                RawHttp.Answer form = http.send("GET", "/v1/backup_instances/" + shopDb, auth("Content-Type", type),
                        "a=b".getBytes(StandardCharsets.UTF_8));
                assertEquals(200, form.status(), type + ": " + form);
                assertEquals(shopDb, form.json().path("id").asLong(), form::toString);
                RawHttp.Answer ping = http.send("GET", "/v1/ping", auth("Content-Type", type, "Content-Length", "0"),
                        null);
                assertEquals(200, ping.status(), type + ": " + ping);
            }
            assertEquals(List.of(), logs.lines().stream().filter(l -> l.startsWith("ERROR")).toList());
        }
    }

    @Test
    void headOnAListAnswersAsGetDoesWithoutABody() {
        for (String path : List.of("/v1/backup_instances", "/v1/customers", "/v1/backup_instances/" + shopDb
                + "/backups", "/v1/backup_instances/" + shopDb)) {
            RawHttp.Answer get = http.send("GET", path, auth(), null);
            RawHttp.Answer head = http.send("HEAD", path, auth(), null);
            assertEquals(200, get.status(), path + ": " + get);
            assertEquals(200, head.status(), path + ": " + head);
            assertEquals(get.header("X-Total-Count"), head.header("X-Total-Count"), path);
            assertEquals(get.header("Link"), head.header("Link"), path);
            assertTrue(head.header("Content-Type").startsWith("application/json"), head::toString);
            assertEquals("", head.body());
        }
        assertEquals(401, http.send("HEAD", "/v1/backup_instances", headers(), null).status());
    }

    @Test
    void aBodyOverTheOneLimitIsAJson413OnEveryOperationTheTokenEndpointIncluded() {
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        assertJsonError(http.send("POST", "/oauth/token", headers("Content-Type",
                "application/x-www-form-urlencoded"), big), 413, "body_too_large");
        assertJsonError(http.send("POST", "/v1/backup_instances", auth("Content-Type", "application/json"), big),
                413, "body_too_large");
        // announced larger than the limit: refused before it is read
        assertJsonError(http.send("PUT", "/v1/backup_instances/" + shopDb, auth("Content-Type",
                "application/json", "Content-Length", "10485760"), "{}".getBytes(StandardCharsets.UTF_8)),
                413, "body_too_large");
        // within the limit the token endpoint still answers
        RawHttp.Answer token = http.send("POST", "/oauth/token", headers("Content-Type",
                "application/x-www-form-urlencoded"), ("grant_type=client_credentials&client_id=reporting"
                + "&client_secret=reporting-secret").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, token.status(), token::toString);
    }

    @Test
    void anOverlongUriOrHugeHeadersAreAJson414Or431() {
        assertJsonError(http.send("GET", "/v1/backup_instances?name=" + "a".repeat(9000), auth(), null),
                414, "uri_too_long");
        assertJsonError(http.send("GET", "/v1/ping", auth("X-Padding", "b".repeat(17000)), null),
                431, "headers_too_large");
        // within the limits a long query is just a query
        assertEquals(200, http.send("GET", "/v1/ping?x=" + "a".repeat(7000), auth(), null).status());
    }

    @Test
    void formsAndHeadersThatCannotBeDecodedAreAJson400() {
        assertJsonError(http.send("POST", "/oauth/token", headers("Content-Type",
                "application/x-www-form-urlencoded"), "=&=&".getBytes(StandardCharsets.UTF_8)), 400, "invalid_request");
        assertJsonError(http.send("POST", "/v1/backup_instances", auth("Content-Type",
                "application/x-www-form-urlencoded"), "=&=&".getBytes(StandardCharsets.UTF_8)), 400, "invalid_request");
        assertJsonError(http.send("GET", "/v1/ping", auth("X-Nul", "a\u0000b"), null), 400, "invalid_request");
        assertJsonError(http.send("GET", "/v1/%zz", auth(), null), 400, "invalid_request");
    }

    @Test
    void dotSegmentsInAPathAreRefusedInsteadOfLeavingTheApiOrNamingAnotherResource() {
        for (String path : List.of("/v1/backup_instances/../../etc/passwd", "/v1/../observe/health",
                "/v1/backup_instances/" + shopDb + "/backups/%2e%2e", "/v1/backup_instances/" + shopDb + "/backups/.%2E",
                "/v1/backup_instances/%2e", "/oauth/../v1/ping", "/v1/backup_instances/" + shopDb + "/./backups")) {
            assertJsonError(http.send("GET", path, auth(), null), 400, "invalid_parameter");
        }
        // outside the API the server's own answers stay as they were
        assertEquals(200, http.send("GET", "/observe/health", headers(), null).status());
    }

    @Test
    void anIdIsAPlainPositiveIntegerWithNothingTrimmedAround() {
        for (String bad : List.of("1%00", shopDb + "%00", "%2e%2e", "-1", "01", "1.0", "1e3", "%201", shopDb + "%20",
                "+1", "99999999999999999999", "1%0a", "0x1", "%ef%bc%91")) {
            assertJsonError(http.send("GET", "/v1/backup_instances/" + bad, auth(), null), 400, "invalid_parameter");
            assertJsonError(http.send("GET", "/v1/backup_instances/" + shopDb + "/backups/" + bad, auth(), null),
                    400, "invalid_parameter");
            assertJsonError(http.send("GET", "/v1/customers/" + bad, auth(), null), 400, "invalid_parameter");
        }
        assertEquals(200, http.send("GET", "/v1/backup_instances/" + shopDb, auth(), null).status());
    }
}
