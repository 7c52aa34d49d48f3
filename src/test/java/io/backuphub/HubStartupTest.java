package io.backuphub;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import io.backuphub.api.ApiErrors;
import io.backuphub.provider.ProviderSyncErrors;
import io.backuphub.provider.SimulatedProviders;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** camel.main.routes-builder-classes names every Java route builder and route configuration (ConfigurationClassesTest). */
    @Test
    void theListedRouteBuildersMakeARouteOfEveryJavaRouteBuilderAndBothRouteConfigurations() {
        try (SimulatedProviders providers = new SimulatedProviders(); TestHub hub = providers.hubOn(dataDir).start()) {
            for (String routeId : List.of("catalog-ingest", "instance-sync", "cloud66-poll", "cloud66-budget",
                    "vprotect-poll", "vprotect-budget", "cloud66-backup-task", "cloud66-import", "api-document-yaml")) {
                assertNotNull(hub.context().getRoute(routeId), routeId);
            }
            assertTrue(hub.context().getRoutes().stream().anyMatch(r -> r.getRouteId().startsWith("api-unknown-")),
                    "the API's unknown paths");
            ModelCamelContext model = (ModelCamelContext) hub.context();
            List<String> configurations = model.getRouteConfigurationDefinitions().stream()
                    .map(RouteConfigurationDefinition::getId).toList();
            assertTrue(configurations.containsAll(List.of(ProviderSyncErrors.ID, ApiErrors.ID)), configurations.toString());
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

    /** The newest of the SQL migrations and the Java ones (package db.migration, where helpers live beside them). */
    private static long newestMigration() throws Exception {
        long newest = 0;
        for (String folder : List.of("src/main/resources/db/migration", "src/main/java/db/migration")) {
            try (var files = Files.list(Path.of(folder))) {
                newest = Math.max(newest, files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("V[0-9]+__.*"))
                        .mapToLong(n -> Long.parseLong(n.substring(1, n.indexOf("__")))).max().orElse(0));
            }
        }
        return newest;
    }

    @Test
    void theCatalogIsMigratedToTheNewestVersionOnStart() throws Exception {
        try (TestHub hub = TestHub.on(dataDir).start()) {
            assertEquals(0L, hub.count("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = FALSE"));
            assertEquals(newestMigration(), hub.count("SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\""));
            assertEquals(0L, hub.catalog().count("backups"));
        }
    }
}
