package io.backuphub.api;

import java.nio.file.Path;
import java.util.Optional;

import io.backuphub.api.client.model.InstanceChangeForm;
import io.backuphub.api.client.model.InstanceRegistrationForm;
import io.backuphub.schedule.InstanceSchedules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.GLOBEX;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every run of an instance calls its provider, on an account all customers share: a schedule set through the API
 * may not run more often than the provider's minimum interval (defaults: Cloud66 15 minutes, vProtect 5 minutes).
 */
class ScheduleMinimumTest {

    @TempDir
    Path dataDir;

    private ApiFixture f;

    @BeforeEach
    void startHub() {
        f = new ApiFixture(dataDir);
    }

    @AfterEach
    void stopHub() {
        f.close();
    }

    @Test
    void anApiScheduleFasterThanTheProvidersMinimumIsRefusedWith422AndTheInstancesScheduleIsUnchanged() throws Exception {
        long shopDb = f.shopDb();
        assertEquals(200, put(shopDb, ACME, "0 0 3 * * ?").status());
        int tasksBefore = f.providers.cloud66.backupTaskRequests().size();

        for (String tooOften : new String[] {"* * * * * ?", "0/10 * * * * ?", "0 * * * * ?", "0 0/14 * * * ?",
                "0 0,5 3 * * ?"}) {
            ApiFixture.Reply reply = put(shopDb, ACME, tooOften);
            assertError(reply, 422, "schedule_too_frequent");
            String message = reply.json().path("error").path("message").asText();
            assertTrue(message.contains("15 minutes") && message.contains("min-schedule-interval-seconds = 900"),
                    () -> "the refusal names the minimum: " + message);
        }

        assertEquals("0 0 3 * * ?", f.hub.rows("SELECT backup_frequency FROM backup_instances WHERE id = " + shopDb)
                .get(0).get("backup_frequency"), "the stored frequency is unchanged");
        assertEquals(Optional.of("0 0 3 * * ?"), new InstanceSchedules(f.hub.context()).cron(shopDb),
                "the running schedule is unchanged");
        assertEquals(tasksBefore, f.providers.cloud66.backupTaskRequests().size(), "Cloud66 was not asked");

        // a registration with such a schedule is refused before the provider is asked, and nothing is registered
        f.vprotectHas("vm-often", "VM", "SUCCESS");
        long before = f.hub.count("SELECT COUNT(*) FROM backup_instances");
        assertError(registerVm("vm-often", "0 0/4 * * * ?"), 422, "schedule_too_frequent");
        assertEquals(before, f.hub.count("SELECT COUNT(*) FROM backup_instances"), "nothing registered");
    }

    @Test
    void aScheduleAtTheProvidersMinimumIsAccepted() throws Exception {
        long shopDb = f.shopDb();
        assertEquals(200, put(shopDb, ACME, "0 0/15 * * * ?").status(), "Cloud66: every 15 minutes");
        assertEquals("0 0/15 * * * ?", f.hub.rows("SELECT backup_frequency FROM backup_instances WHERE id = " + shopDb)
                .get(0).get("backup_frequency"));
        assertEquals(200, put(shopDb, ACME, "hourly").status(), "the named frequencies are slower than any minimum");

        f.vprotectHas("vm-five", "VM", "SUCCESS");
        ApiFixture.Reply registered = registerVm("vm-five", "0 0/5 * * * ?");
        assertEquals(201, registered.status(), registered::toString);
        assertEquals("0 0/5 * * * ?", registered.json().get("backup_frequency").asText(), "vProtect: every 5 minutes");
    }

    private ApiFixture.Reply put(long instance, String token, String frequency) throws Exception {
        return f.call(f.api(bearer(token)).putV1BackupInstancesBackupInstanceCall(instance,
                new InstanceChangeForm().backupInstanceBackupFrequency(frequency), null));
    }

    private ApiFixture.Reply registerVm(String guid, String frequency) throws Exception {
        long globex = f.hub.count("SELECT id FROM customers WHERE name = 'globex'");
        return f.call(f.api(bearer(GLOBEX)).postV1BackupInstancesCall(new InstanceRegistrationForm()
                .backupInstanceBackupDefinitionId("vprotect-vm")
                .backupInstanceCustomerId(globex)
                .backupInstanceBackupFrequency(frequency)
                .backupInstanceProtectedEntityGuid(guid), null));
    }
}
