package io.backuphub.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.fanout.storage.StorageLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API tokens travel only in HTTP headers: platform-http also copies query parameters into the message headers,
 * and a token in a URL ends up in proxy logs and Referer headers, so the query string never authenticates.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokensOnlyInHeadersTest {

    private static final String TOKEN = "query-test-token";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private TestHub hub;
    private String baseUrl;
    private String blobUrl;

    @BeforeAll
    void startHub(@TempDir Path dataDir) throws Exception {
        hub = TestHub.on(dataDir).with("hub.api.clients", TOKEN + "=acme").start();
        long[] ids = CatalogRows.customerInstanceBackupRecord(hub.catalog().dataSource(), "acme", "disk0.qcow2",
                "application/x-qemu-disk", 3, null);
        Path stored = dataDir.resolve("storage").resolve(StorageLayout.recordKey("acme", ids[1], ids[2], "disk0.qcow2"));
        Files.createDirectories(stored.getParent());
        Files.write(stored, new byte[] {1, 2, 3});
        baseUrl = "http://127.0.0.1:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}");
        blobUrl = baseUrl + "/v1/backup_instances/" + ids[1] + "/endpoints/files/records/" + ids[3] + "/blob";
    }

    @AfterAll
    void stopHub() {
        hub.close();
    }

    @Test
    void aBearerTokenInTheQueryStringIsRefusedAndTheSameTokenInTheHeaderIsAccepted() throws Exception {
        assertRefusedAsQueryCredential(get(baseUrl + "/v1/backup_instances?Authorization=Bearer%20" + TOKEN, null, null));
        assertRefusedAsQueryCredential(get(baseUrl + "/v1/backup_instances?authorization=Bearer%20" + TOKEN, null, null));
        // a header does not rescue a request whose URL carries a token too
        assertRefusedAsQueryCredential(get(baseUrl + "/v1/backup_instances?Authorization=Bearer%20" + TOKEN,
                "Authorization", "Bearer " + TOKEN));

        assertEquals(200, get(baseUrl + "/v1/backup_instances", "Authorization", "Bearer " + TOKEN).statusCode());
    }

    @Test
    void anAccessTokenInTheBlobQueryStringIsRefusedAndTheSameTokenInTheAccessTokenHeaderIsAccepted() throws Exception {
        assertRefusedAsQueryCredential(get(blobUrl + "?Access-Token=" + TOKEN, null, null));
        assertRefusedAsQueryCredential(get(blobUrl + "?Authorization=Bearer%20" + TOKEN, null, null));

        assertEquals(200, get(blobUrl, "Access-Token", TOKEN).statusCode());
        assertEquals(200, get(blobUrl, "Authorization", "Bearer " + TOKEN).statusCode());
    }

    private void assertRefusedAsQueryCredential(HttpResponse<String> response) throws Exception {
        assertEquals(401, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().map().toString());
        JsonNode error = json.readTree(response.body());
        String message = error.toString();
        assertTrue(message.contains("Authorization header") && message.contains("query string"), message);
    }

    private HttpResponse<String> get(String url, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
