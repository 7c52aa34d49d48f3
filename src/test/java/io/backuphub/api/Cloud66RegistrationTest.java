package io.backuphub.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.backuphub.api.client.model.InstanceChangeForm;
import io.backuphub.api.client.model.InstanceRegistrationForm;
import io.backuphub.demo.cloud66.Cloud66Request;
import io.backuphub.schedule.InstanceSchedules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.api.ApiFixture.ACME;
import static io.backuphub.api.ApiFixture.bearer;
import static io.backuphub.api.Contract.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registering a Cloud66 database creates its backup task at Cloud66 ({@code POST /stacks/:id/backups} with
 * db_type and frequency) before the hub records it; changing the frequency tells Cloud66 where it can run it. A
 * database Cloud66 does not have (no such stack, or none of its backups is of that database) is not registered.
 */
class Cloud66RegistrationTest {

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
    void registeringACloud66DatabaseCreatesItsBackupTaskAndItsBackupsAttachToIt() throws Exception {
        f = new ApiFixture(dataDir);
        f.cloud66Has("stk-b", "mysql", "blog_db");
        ApiFixture.Reply reply = register("stk-b", "blog_db", "daily");

        assertEquals(201, reply.status(), reply::toString);
        long id = reply.json().get("id").asLong();
        assertEquals("Blog blog_db (mysql)", reply.json().get("name").asText());
        assertEquals(Map.of("stack_uid", "stk-b", "stack_name", "Blog", "db_type", "mysql", "database_name", "blog_db"),
                f.json.convertValue(reply.json().get("source"), Map.class));
        List<Cloud66Request> tasks = f.providers.cloud66.backupTaskRequests();
        assertEquals(1, tasks.size());
        assertEquals("stk-b", tasks.get(0).stackUid());
        assertEquals("mysql", tasks.get(0).param("db_type"));
        assertEquals("0 2 * * *", tasks.get(0).param("frequency"));
        assertTrue(new InstanceSchedules(f.hub.context()).cron(id).isPresent(), "scheduled");

        // the backups Cloud66 takes later land on the registered instance
        f.providers.cloud66.addBackup("stk-b", 900, "mysql", "blog_db", Instant.parse("2026-10-20T02:00:00Z"), 0, 10L);
        f.hub.sync("cloud66");
        assertEquals(1, f.hub.count("SELECT COUNT(*) FROM backups WHERE backup_instance_id = " + id
                + " AND provider_backup_id = '900'"));
        assertError(register("stk-b", "blog_db", "daily"), 409, "already_registered");
    }

    @Test
    void changingTheFrequencyTellsCloud66WhenItCanRunIt() throws Exception {
        f = new ApiFixture(dataDir);
        long shopDb = f.shopDb();

        assertEquals(200, put(shopDb, "0 30 */6 * * ?").status());
        assertEquals(200, put(shopDb, "0 0 3 L * ?").status(), "Quartz-only (L): the hub's own schedule only");
        assertEquals(200, put(shopDb, "manual").status());

        List<Cloud66Request> tasks = f.providers.cloud66.backupTaskRequests();
        assertEquals(1, tasks.size());
        assertEquals("stk-a", tasks.get(0).stackUid());
        assertEquals("mysql", tasks.get(0).param("db_type"));
        assertEquals("30 */6 * * *", tasks.get(0).param("frequency"));
    }

    @Test
    void whatCloud66RefusesIsNotRegistered() throws Exception {
        f = new ApiFixture(dataDir);
        long before = f.hub.count("SELECT COUNT(*) FROM backup_instances");

        assertError(register("no-such-stack", "db", "daily"), 422, "unknown_provider_object");
        f.cloud66Has("stk-b", "mysql", "blog_db");
        f.providers.cloud66.setScopes("public");
        ApiFixture.Reply forbidden = register("stk-b", "blog_db", "daily");
        assertError(forbidden, 503, "provider_unavailable");
        assertEquals(true, forbidden.json().path("error").path("message").asText().contains("403"), forbidden::toString);
        assertError(put(f.shopDb(), "hourly"), 503, "provider_unavailable");

        assertEquals(before, f.hub.count("SELECT COUNT(*) FROM backup_instances"));
        assertNull(f.hub.rows("SELECT backup_frequency FROM backup_instances WHERE id = " + f.shopDb())
                .get(0).get("backup_frequency"), "the frequency is unchanged when Cloud66 refused it");
    }

    @Test
    void registeringACloud66DatabaseThatCloud66DoesNotHaveAnswers422AndLeavesTheCatalogAsItWas() throws Exception {
        f = new ApiFixture(dataDir);
        long instances = f.hub.count("SELECT COUNT(*) FROM backup_instances");
        long backups = f.hub.count("SELECT COUNT(*) FROM backups");

        ApiFixture.Reply unknownDatabase = register("stk-a", "no_such_db", "daily");
        assertError(unknownDatabase, 422, "unknown_provider_object");
        assertTrue(unknownDatabase.json().path("error").path("message").asText().contains("no mysql database 'no_such_db'"),
                unknownDatabase::toString);
        ApiFixture.Reply unknownStack = register("no-such-stack", "shop_db", "daily");
        assertError(unknownStack, 422, "unknown_provider_object");
        assertTrue(unknownStack.json().path("error").path("message").asText().contains("no stack 'no-such-stack'"),
                unknownStack::toString);
        // the database exists, but with another db_type
        assertError(f.call(f.api(bearer(ACME)).postV1BackupInstancesCall(new InstanceRegistrationForm()
                .backupInstanceBackupDefinitionId("cloud66-redis")
                .backupInstanceCustomerId(f.hub.count("SELECT id FROM customers WHERE name = 'acme'"))
                .backupInstanceStackUid("stk-a")
                .backupInstanceDatabaseName("shop_db"), null)), 422, "unknown_provider_object");

        assertEquals(instances, f.hub.count("SELECT COUNT(*) FROM backup_instances"), "nothing registered");
        assertEquals(backups, f.hub.count("SELECT COUNT(*) FROM backups"));
        assertEquals(List.of(), f.providers.cloud66.backupTaskRequests(), "no backup task asked of Cloud66");
    }

    @Test
    void registeringWhileCloud66IsDownAnswers503ProviderUnavailable() throws Exception {
        f = new ApiFixture(dataDir, Map.of("hub.http.max-redeliveries", "0"));
        f.cloud66Has("stk-b", "mysql", "blog_db");
        f.providers.cloud66.failAlways("/stacks/stk-b/backups$", io.backuphub.demo.Fault.status(500));
        long before = f.hub.count("SELECT COUNT(*) FROM backup_instances");

        assertError(register("stk-b", "blog_db", "daily"), 503, "provider_unavailable");
        assertEquals(before, f.hub.count("SELECT COUNT(*) FROM backup_instances"));
    }

    @Test
    void backingUpNowAnswersTheProvidersFailure() throws Exception {
        f = new ApiFixture(dataDir, Map.of("hub.http.max-redeliveries", "0"));
        f.providers.cloud66.failAlways("/backups", io.backuphub.demo.Fault.status(500));
        ApiFixture.Reply reply = f.call(f.api(bearer(ACME)).postV1BackupInstancesBackupInstanceBackupsCall(f.shopDb(), null));
        assertError(reply, 503, "provider_unavailable");
        assertEquals(true, reply.json().path("error").path("message").asText().contains("cloud66 answered 500"), reply::toString);
    }

    @Test
    void aSourceThatIsOffCannotBeRegisteredChangedOrSyncedThroughTheApi() throws Exception {
        f = new ApiFixture(dataDir, Map.of("hub.cloud66.enabled", "false"));
        long globex = f.hub.count("SELECT id FROM customers WHERE name = 'globex'");
        assertError(f.call(f.api(bearer(ApiFixture.GLOBEX)).postV1BackupInstancesCall(new InstanceRegistrationForm()
                .backupInstanceBackupDefinitionId("cloud66-redis")
                .backupInstanceCustomerId(globex)
                .backupInstanceStackUid("stk-b")
                .backupInstanceDatabaseName("cache"), null)), 503, "source_off");

        // a Cloud66 instance from when the source was on
        try (var c = f.hub.catalog().dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO backup_instances (customer_id, backup_definition_id, provider, source, source_key, "
                    + "source_json, name, status, created_at, updated_at) VALUES (" + globex + ", 'cloud66-redis', "
                    + "'cloud66', 'cloud66', 'stk-b/redis/cache', '{\"stack_uid\":\"stk-b\",\"db_type\":\"redis\"}', "
                    + "'cache', 'active', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        long cache = f.instanceId("cache");
        assertError(f.call(f.api(bearer(ApiFixture.GLOBEX)).postV1BackupInstancesBackupInstanceBackupsCall(cache, null)),
                503, "source_off");
        assertError(f.call(f.api(bearer(ApiFixture.GLOBEX)).putV1BackupInstancesBackupInstanceCall(cache,
                new InstanceChangeForm().backupInstanceBackupFrequency("daily"), null)),
                503, "source_off");
    }

    private ApiFixture.Reply register(String stack, String database, String frequency) throws Exception {
        long acme = f.hub.count("SELECT id FROM customers WHERE name = 'acme'");
        return f.call(f.api(bearer(ACME)).postV1BackupInstancesCall(new InstanceRegistrationForm()
                .backupInstanceBackupDefinitionId("cloud66-mysql")
                .backupInstanceCustomerId(acme)
                .backupInstanceBackupFrequency(frequency)
                .backupInstanceStackUid(stack)
                .backupInstanceStackName("Blog")
                .backupInstanceDatabaseName(database), null));
    }

    private ApiFixture.Reply put(long instance, String frequency) throws Exception {
        return f.call(f.api(bearer(ACME)).putV1BackupInstancesBackupInstanceCall(instance,
                new InstanceChangeForm().backupInstanceBackupFrequency(frequency), null));
    }
}
