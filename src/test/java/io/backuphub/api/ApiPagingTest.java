package io.backuphub.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.backuphub.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Paging by the Link header (RFC 8288): 1,000 instances of one customer, interleaved with another customer's,
 * walked page by page from {@code first} through {@code next}, arrive each exactly once, ascending by id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiPagingTest {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>;\\s*rel=\"([a-z]+)\"");
    private static final int ACME_INSTANCES = 1000;

    private TestHub hub;
    private final List<Long> acmeIds = new ArrayList<>();
    private String base;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    @BeforeAll
    void startHubWithAThousandInstances(@TempDir Path dataDir) throws Exception {
        hub = TestHub.on(dataDir).with("hub.api.clients", "acme-token=acme;globex-token=globex").start();
        base = "http://127.0.0.1:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = hub.catalog().dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO customers (name, created_at) VALUES (?, ?)")) {
                for (String name : List.of("acme", "globex")) {
                    ps.setString(1, name);
                    ps.setObject(2, now);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO backup_instances (customer_id, "
                    + "backup_definition_id, provider, source, source_key, source_json, name, status, created_at, updated_at) "
                    + "VALUES ((SELECT id FROM customers WHERE name = ?), 'vprotect-vm', 'vprotect', 'vprotect', ?, '{}', ?, 'active', ?, ?)")) {
                for (int i = 0; i < ACME_INSTANCES + 300; i++) {
                    // every fourth instance is globex's, so acme's ids have gaps
                    ps.setString(1, i % 4 == 3 && i < 1200 ? "globex" : "acme");
                    ps.setString(2, "vm-" + i);
                    ps.setString(3, "vm " + i);
                    ps.setObject(4, now);
                    ps.setObject(5, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        hub.rows("SELECT i.id FROM backup_instances i JOIN customers c ON c.id = i.customer_id WHERE c.name = 'acme' "
                + "ORDER BY i.id").forEach(r -> acmeIds.add(((Number) r.get("id")).longValue()));
        assertEquals(ACME_INSTANCES, acmeIds.size());
    }

    @AfterAll
    void stopHub() {
        hub.close();
    }

    @Test
    void walkingTheLinkHeadersVisitsEveryInstanceOnceInAscendingOrder() throws Exception {
        for (int perPage : new int[] {20, 37, 100}) {
            List<Long> seen = new ArrayList<>();
            String next = base + "/v1/backup_instances?backup_definition_id=vprotect-vm&per_page=" + perPage;
            int pages = 0;
            while (next != null) {
                var response = get(next);
                assertEquals(200, response.statusCode());
                assertEquals(String.valueOf(ACME_INSTANCES), response.headers().firstValue("X-Total-Count").orElseThrow());
                json.readTree(response.body()).forEach(i -> seen.add(i.get("id").asLong()));
                Map<String, String> links = links(response.headers().firstValue("Link").orElseThrow());
                assertTrue(links.get("first").contains("page=1&"), links.get("first"));
                assertTrue(links.get("last").contains("page=" + ((ACME_INSTANCES + perPage - 1) / perPage) + "&"));
                assertTrue(links.get("first").contains("backup_definition_id=vprotect-vm"), "other parameters kept");
                assertEquals(pages == 0, !links.containsKey("prev"), "prev on every page but the first");
                next = links.get("next");
                pages++;
            }
            assertEquals(acmeIds, seen, "per_page=" + perPage + ": every instance once, ascending, nothing else");
            assertEquals((ACME_INSTANCES + perPage - 1) / perPage, pages);
        }
    }

    @Test
    void theDefaultPageHasTwentyAndTheLastPageLinksBack() throws Exception {
        var first = get(base + "/v1/backup_instances");
        assertEquals(20, json.readTree(first.body()).size());
        Map<String, String> links = links(first.headers().firstValue("Link").orElseThrow());
        assertEquals(base + "/v1/backup_instances?page=2&per_page=20", links.get("next"));
        assertNull(links.get("prev"));

        var last = get(links.get("last"));
        Map<String, String> lastLinks = links(last.headers().firstValue("Link").orElseThrow());
        assertFalse(lastLinks.containsKey("next"));
        assertEquals(base + "/v1/backup_instances?page=49&per_page=20", lastLinks.get("prev"));
        assertEquals(ACME_INSTANCES - 49 * 20, json.readTree(last.body()).size());
    }

    @Test
    void anEmptyListHasOnePageAndATotalOfZero() throws Exception {
        var empty = get(base + "/v1/backup_instances?backup_definition_id=cloud66-mysql");
        assertEquals("[]", empty.body());
        assertEquals("0", empty.headers().firstValue("X-Total-Count").orElseThrow());
        Map<String, String> links = links(empty.headers().firstValue("Link").orElseThrow());
        assertEquals(links.get("first"), links.get("last"));
        assertFalse(links.containsKey("next") || links.containsKey("prev"));
    }

    private java.net.http.HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer acme-token").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> links(String header) {
        Map<String, String> links = new LinkedHashMap<>();
        Matcher m = LINK.matcher(header);
        while (m.find()) {
            links.put(m.group(2), m.group(1));
        }
        return links;
    }
}
