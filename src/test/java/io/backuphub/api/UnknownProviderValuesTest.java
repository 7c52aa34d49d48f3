package io.backuphub.api;

import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A backup whose provider status the hub does not know is in the API, as {@code unknown} with the raw value. */
class UnknownProviderValuesTest {

    @TempDir
    Path dataDir;

    private ApiFixture f;

    @AfterEach
    void stopHub() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aBackupWithAStatusTheHubDoesNotKnowIsListedAsUnknownWithTheProvidersStatus() {
        f = new ApiFixture(dataDir);
        f.providers.cloud66.addBackup("stk-a", 70, "mysql", "shop_db", Instant.parse("2026-10-06T02:00:00Z"), 7, 70L);
        f.hub.sync("cloud66");
        long shopDb = f.shopDb();
        long id = f.hub.count("SELECT id FROM backups WHERE provider = 'cloud66' AND provider_backup_id = '70'");

        ApiFixture.Reply reply = f.get("/v1/backup_instances/" + shopDb + "/backups/" + id, ACME);

        assertEquals(200, reply.status(), reply::toString);
        Contract.assertShape(Contract.BACKUP, reply.json());
        assertEquals("unknown", reply.json().get("status").asText());
        assertEquals("7", reply.json().get("provider_status").asText());
        JsonNode known = f.get("/v1/backup_instances/" + shopDb + "/backups?per_page=1", ACME).json().get(0);
        assertEquals("0", known.get("provider_status").asText(), known::toString);
    }
}
