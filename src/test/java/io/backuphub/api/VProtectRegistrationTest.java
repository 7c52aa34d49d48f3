package io.backuphub.api;

import java.nio.file.Path;
import java.util.Map;

import io.backuphub.api.client.model.InstanceRegistrationForm;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.GLOBEX;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registering a vProtect protected entity asks vProtect first: what it does not have is not registered. */
class VProtectRegistrationTest {

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
    void registeringAnEntityVProtectDoesNotHaveAnswers422AndRegistersNothing() throws Exception {
        f = new ApiFixture(dataDir);
        long before = f.hub.count("SELECT COUNT(*) FROM backup_instances");

        ApiFixture.Reply reply = register("vprotect-vm", "vm-nowhere");

        assertError(reply, 422, "unknown_provider_object");
        assertTrue(reply.json().path("error").path("message").asText().contains("'vm-nowhere'"), reply::toString);
        assertEquals(before, f.hub.count("SELECT COUNT(*) FROM backup_instances"));
    }

    @Test
    void registeringAnEntityOfAnotherTypeThanTheDefinitionAnswers422() throws Exception {
        f = new ApiFixture(dataDir);
        f.vprotectHas("app-9", "APP", "SUCCESS");

        ApiFixture.Reply reply = register("vprotect-vm", "app-9");

        assertError(reply, 422, "unknown_provider_object");
        assertTrue(reply.json().path("error").path("message").asText().contains("is of type APP, not VM"),
                reply::toString);
    }

    @Test
    void registeringAnEntityVProtectHasAnswers201AsBefore() throws Exception {
        f = new ApiFixture(dataDir);
        f.vprotectHas("vm-9", "VM", "SUCCESS");

        ApiFixture.Reply reply = register("vprotect-vm", "vm-9");

        assertEquals(201, reply.status(), reply::toString);
        assertEquals("vm-9", reply.json().get("source").get("protected_entity_guid").asText());
        assertEquals(1L, f.hub.count("SELECT COUNT(*) FROM backup_instances WHERE source_key = 'vm-9'"));
    }

    @Test
    void registeringWhileVProtectIsDownAnswers503ProviderUnavailable() throws Exception {
        f = new ApiFixture(dataDir, Map.of("hub.http.max-redeliveries", "0"));
        f.vprotectHas("vm-9", "VM", "SUCCESS");
        f.providers.vprotect.failAlways("/api/backups$", Fault.status(503));

        ApiFixture.Reply reply = register("vprotect-vm", "vm-9");

        assertError(reply, 503, "provider_unavailable");
        assertTrue(reply.json().path("error").path("message").asText().startsWith("vprotect "), reply::toString);
        assertEquals(0L, f.hub.count("SELECT COUNT(*) FROM backup_instances WHERE source_key = 'vm-9'"));
    }

    private ApiFixture.Reply register(String definition, String guid) throws Exception {
        long globex = f.hub.count("SELECT id FROM customers WHERE name = 'globex'");
        return f.call(f.api(bearer(GLOBEX)).postV1BackupInstancesCall(new InstanceRegistrationForm()
                .backupInstanceBackupDefinitionId(definition)
                .backupInstanceCustomerId(globex)
                .backupInstanceBackupFrequency("manual")
                .backupInstanceProtectedEntityGuid(guid), null));
    }
}
