package io.backuphub.api;

import java.net.http.HttpRequest;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paths and methods no operation serves are answered with the API's JSON error, and the operations still work. */
class ApiUnknownPathsTest {

    @TempDir
    Path dataDir;

    @Test
    void anUnknownPathOrMethodGetsAJsonNotFoundAndKnownOperationsStillAnswer() {
        try (ApiFixture api = new ApiFixture(dataDir)) {
            ApiFixture.Reply unknown = api.get("/v1/no_such_thing", ApiFixture.ACME);
            assertEquals(404, unknown.status());
            assertEquals("not_found", unknown.json().path("error").path("code").asText(), unknown.body());
            assertTrue(unknown.json().path("error").path("message").asText().contains("GET /v1/no_such_thing"),
                    unknown.body());
            assertTrue(unknown.header("Content-Type").startsWith("application/json"));

            ApiFixture.Reply delete = api.send(api.request("/v1/backup_instances/" + api.shopDb())
                    .header("Authorization", ApiFixture.bearer(ApiFixture.ACME)).DELETE());
            assertEquals(404, delete.status());
            assertEquals("not_found", delete.json().path("error").path("code").asText(), delete.body());

            ApiFixture.Reply oauth = api.send(api.request("/oauth/nothing").POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(404, oauth.status());
            assertEquals("not_found", oauth.json().path("error").path("code").asText(), oauth.body());

            assertEquals(200, api.get("/v1/ping", ApiFixture.ACME).status());
            assertEquals(200, api.get("/v1/backup_instances/" + api.shopDb() + "/backups", ApiFixture.ACME).status());
            ApiFixture.Reply noActive = api.get("/v1/backup_instances/" + api.shopDb() + "/backups/active", ApiFixture.ACME);
            assertEquals("no_active_backup", noActive.json().path("error").path("code").asText(), noActive.body());
        }
    }
}
