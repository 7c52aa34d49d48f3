package io.backuphub.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.backuphub.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The list totals (X-Total-Count) and the customers of a token are kept between requests; what the catalog gains
 * meanwhile shows on the next request all the same.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListTotalsTest {

    private TestHub hub;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void startHub(@TempDir Path dataDir) throws Exception {
        hub = TestHub.on(dataDir).with("hub.api.clients", "acme-token=acme;globex-token=globex;late-token=initech;"
                + "hooli-token=hooli;umbrella-token=umbrella")
                .start();
        base = "http://127.0.0.1:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}");
        for (String customer : new String[] {"acme", "globex", "hooli", "umbrella"}) {
            hub.execute("INSERT INTO customers (name, created_at) VALUES (?, ?)", customer, now());
        }
    }

    @AfterAll
    void stopHub() {
        hub.close();
    }

    @Test
    void anInstanceAddedAfterTheListWasCountedCountsOnTheNextRequest() throws Exception {
        addInstance("acme", "a-1");
        addInstance("acme", "a-2");
        assertEquals("2", total("acme-token"));
        assertEquals("2", total("acme-token"), "asked again, unchanged");

        addInstance("acme", "a-3");
        assertEquals("3", total("acme-token"));
        addInstance("globex", "g-1");
        assertEquals("3", total("acme-token"), "another customer's instance is not acme's");
        assertEquals("1", total("globex-token"));
    }

    @Test
    void aTokensCustomerCreatedAfterItsFirstRequestIsSeenOnceItExists() throws Exception {
        assertEquals("0", total("late-token"));
        hub.execute("INSERT INTO customers (name, created_at) VALUES (?, ?)", "initech", now());
        addInstance("initech", "i-1");
        assertEquals("1", total("late-token"));
    }

    @Test
    void anInstanceChangedAfterTheListWasReadShowsItsNewStateWithTheSameTotal() throws Exception {
        addInstance("hooli", "h-1");
        addInstance("hooli", "h-2");
        HttpResponse<String> before = list("hooli-token", "");
        assertEquals("2", before.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(2, before.body().split("\"status\":\"active\"", -1).length - 1, before.body());

        hub.execute("UPDATE backup_instances SET status = 'paused', updated_at = ? WHERE source_key = 'h-2'", now());
        HttpResponse<String> after = list("hooli-token", "");
        assertEquals("2", after.headers().firstValue("X-Total-Count").orElseThrow());
        assertEquals(1, after.body().split("\"status\":\"paused\"", -1).length - 1, after.body());
    }

    @Test
    void aPagePastTheEndIsEmptyAndStillHasTheTotal() throws Exception {
        addInstance("umbrella", "u-past");
        HttpResponse<String> response = list("umbrella-token", "?page=50");
        assertEquals("[]", response.body());
        assertEquals(hubCount("umbrella"), response.headers().firstValue("X-Total-Count").orElseThrow());
        addInstance("umbrella", "u-past-2");
        assertEquals(hubCount("umbrella"), list("umbrella-token", "?page=50").headers().firstValue("X-Total-Count")
                .orElseThrow(), "counted again once the table changed");
    }

    private String hubCount(String customer) {
        return String.valueOf(hub.count("SELECT COUNT(*) FROM backup_instances i JOIN customers c ON c.id = "
                + "i.customer_id WHERE c.name = '" + customer + "'"));
    }

    private String total(String token) throws Exception {
        return list(token, "").headers().firstValue("X-Total-Count").orElseThrow();
    }

    private HttpResponse<String> list(String token, String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/backup_instances"
                + query)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    private void addInstance(String customer, String key) throws Exception {
        hub.execute("INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source, source_key, "
                + "source_json, name, status, created_at, updated_at) VALUES ((SELECT id FROM customers WHERE name = ?), "
                + "'vprotect-vm', 'vprotect', 'vprotect', ?, '{}', ?, 'active', ?, ?)", customer, key, key, now(), now());
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
