package io.backuphub;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class HubStartupTest {

    @TempDir
    Path dataDir;

    @Test
    void javaAndYamlRoutesRunSideBySideInOneContext() {
        try (TestHub hub = TestHub.on(dataDir).start()) {
            assertNotNull(hub.context().getRoute("catalog-ingest"), "Java DSL route from src");
            assertNotNull(hub.context().getRoute("backup-events"), "YAML route from routes/");
        }
    }

    @Test
    void aSourceWithoutCredentialsStaysOff() {
        try (TestHub hub = TestHub.on(dataDir)
                .with("hub.cloud66.enabled", "true")
                .with("hub.cloud66.token", "")
                .start()) {
            assertNull(hub.context().getRoute("cloud66-poll"));
        }
    }

    @Test
    void theCatalogIsMigratedOnStart() {
        try (TestHub hub = TestHub.on(dataDir).start()) {
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = FALSE"));
            assertEquals("1", hub.rows("SELECT MAX(\"version\") AS v FROM \"flyway_schema_history\"").get(0).get("v"));
            assertEquals(0L, hub.catalog().count("backups"));
        }
    }
}
