package io.backuphub.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.fanout.storage.StorageLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record's blob over plain HTTP/1.1: the stored bytes with Content-Type, Content-Length and a sha256 ETag
 * (computed once and kept), conditional requests, and byte ranges.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlobStreamingTest {

    private static final int SIZE = 300_000;

    private TestHub hub;
    private final byte[] bytes = new byte[SIZE];
    private String blobUrl;
    private long recordId;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void storeARecordsBytes(@TempDir Path dataDir) throws Exception {
        hub = TestHub.on(dataDir).with("hub.api.clients", "acme-token=acme|acme-2").start();
        new Random(7).nextBytes(bytes);
        long[] ids = CatalogRows.customerInstanceBackupRecord(hub.catalog().dataSource(), "acme", "disk0.qcow2",
                "application/x-qemu-disk", SIZE, null);
        recordId = ids[3];
        Path stored = dataDir.resolve("storage").resolve(StorageLayout.recordKey("acme", ids[1], ids[2], "disk0.qcow2"));
        Files.createDirectories(stored.getParent());
        Files.write(stored, bytes);
        blobUrl = "http://127.0.0.1:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}")
                + "/v1/backup_instances/" + ids[1] + "/endpoints/files/records/" + recordId + "/blob";
    }

    @AfterAll
    void stopHub() {
        hub.close();
    }

    @Test
    void theBlobIsTheStoredBytesWithTypeLengthAndASha256Etag() throws Exception {
        HttpResponse<byte[]> response = get(HttpRequest.newBuilder(URI.create(blobUrl)).header("Access-Token", "acme-token"));
        assertEquals(200, response.statusCode());
        assertArrayEquals(bytes, response.body());
        assertEquals("application/x-qemu-disk", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(String.valueOf(SIZE), response.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(response.headers().firstValue("Transfer-Encoding").isEmpty(), "fixed length, not chunked");
        assertEquals("bytes", response.headers().firstValue("Accept-Ranges").orElseThrow());
        String sha = RecordDigestsTestSupport.sha256(bytes);
        assertEquals("\"" + sha + "\"", response.headers().firstValue("ETag").orElseThrow());
        assertEquals(sha, hub.rows("SELECT sha256 FROM records WHERE id = " + recordId).get(0).get("sha256"),
                "the digest is kept in the catalog");
        assertTrue(response.headers().firstValue("Authorization").isEmpty()
                && response.headers().firstValue("Access-Token").isEmpty(), "request headers are not echoed");
    }

    @Test
    void aBearerTokenWorksForTheBlobToo() throws Exception {
        assertEquals(200, get(HttpRequest.newBuilder(URI.create(blobUrl)).header("Authorization", "Bearer acme-token"))
                .statusCode());
    }

    @Test
    void aRangeAnswersPartialContent() throws Exception {
        assertRange("bytes=10-19", 10, 19);
        assertRange("bytes=" + (SIZE - 100) + "-", SIZE - 100, SIZE - 1);
        assertRange("bytes=-7", SIZE - 7, SIZE - 1);
        assertRange("bytes=0-" + (SIZE * 2), 0, SIZE - 1);
    }

    @Test
    void aRangeOutsideTheBlobIsNotSatisfiable() throws Exception {
        for (String range : new String[] {"bytes=" + SIZE + "-", "bytes=20-10", "bytes=abc", "lines=1-2", "bytes=-0"}) {
            HttpResponse<byte[]> response = get(HttpRequest.newBuilder(URI.create(blobUrl))
                    .header("Access-Token", "acme-token").header("Range", range));
            assertEquals(416, response.statusCode(), range);
            assertEquals("bytes */" + SIZE, response.headers().firstValue("Content-Range").orElseThrow());
            assertEquals("range_not_satisfiable", new ObjectMapper().readTree(response.body())
                    .path("error").path("code").asText());
        }
    }

    @Test
    void anUnchangedBlobIsNotSentAgain() throws Exception {
        String etag = get(HttpRequest.newBuilder(URI.create(blobUrl)).header("Access-Token", "acme-token"))
                .headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get(HttpRequest.newBuilder(URI.create(blobUrl))
                .header("Access-Token", "acme-token").header("If-None-Match", etag));
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
    }

    @Test
    void aRecordWhoseBytesAreNotStoredYetSaysSo() throws Exception {
        long[] ids = CatalogRows.customerInstanceBackupRecord(hub.catalog().dataSource(), "acme-2", "later.tar",
                "application/x-tar", 10, null);
        String url = blobUrl.replaceAll("backup_instances/\\d+/", "backup_instances/" + ids[1] + "/")
                .replaceAll("records/\\d+/", "records/" + ids[3] + "/");
        HttpResponse<byte[]> response = get(HttpRequest.newBuilder(URI.create(url)).header("Access-Token", "acme-token"));
        assertEquals(404, response.statusCode());
        assertEquals("not_stored", new ObjectMapper().readTree(response.body()).path("error").path("code").asText());
    }

    private void assertRange(String range, int first, int last) throws Exception {
        HttpResponse<byte[]> response = get(HttpRequest.newBuilder(URI.create(blobUrl))
                .header("Access-Token", "acme-token").header("Range", range));
        assertEquals(206, response.statusCode(), range);
        assertArrayEquals(Arrays.copyOfRange(bytes, first, last + 1), response.body(), range);
        assertEquals("bytes " + first + "-" + last + "/" + SIZE, response.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(String.valueOf(last - first + 1), response.headers().firstValue("Content-Length").orElseThrow());
    }

    private HttpResponse<byte[]> get(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
