package io.backuphub.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.TestHub;
import io.backuphub.fanout.storage.CopyQueue;
import io.backuphub.provider.SimulatedProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's worked example of editing routes ("a second target for Cloud66 MySQL backups"), taken
 * from README.md as it stands, saved over routes/backup-events.yaml of a running hub.
 */
class EditingRoutesExampleTest {

    private static final String MARKER = "<!-- example: routes/backup-events.yaml -->";
    /** The simulated Cloud66 MySQL backups (database shop_db). */
    private static final int MYSQL_BACKUPS = 20;

    @TempDir
    Path dataDir;
    @TempDir
    Path routes;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    /** The YAML block that follows the example marker in README.md. */
    private static String readmeExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int marker = readme.indexOf(MARKER);
        assertTrue(marker >= 0, "README.md has the example marker");
        int start = readme.indexOf("```yaml\n", marker) + "```yaml\n".length();
        int end = readme.indexOf("```", start);
        return readme.substring(start, end);
    }

    private List<Path> offsiteFiles() throws IOException {
        Path offsite = dataDir.resolve("offsite");
        if (!Files.isDirectory(offsite)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(offsite)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void theReadmeExampleIsValidYamlDsl() throws IOException {
        Path example = Files.writeString(routes.resolve("backup-events.yaml"), readmeExample());

        assertEquals(Set.of(), YamlDslSchema.violations(example));
    }

    @Test
    void theReadmeExampleSavedOnARunningHubSendsCloud66MysqlBackupsAndNothingElseToTheSecondTarget() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        try (TestHub hub = providers.hubOn(dataDir).with("hub.routes-dir", routes.toString())
                .with("hub.routes.reload", "true").start()) {
            Path draft = Files.writeString(routes.resolve(".backup-events.yaml.draft"), readmeExample());
            Files.move(draft, routes.resolve("backup-events.yaml"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.context().getRoute("offsite-mysql") != null);

            assertTrue(hub.sync("cloud66").succeeded());
            assertTrue(hub.sync("vprotect").succeeded());

            await().atMost(Duration.ofSeconds(30)).until(() -> offsiteFiles().size() >= MYSQL_BACKUPS);
            long mysqlInstance = hub.count("SELECT id FROM backup_instances WHERE backup_definition_id = 'cloud66-mysql'");
            List<Path> files = offsiteFiles();
            assertEquals(MYSQL_BACKUPS, files.size());
            for (Path file : files) {
                assertEquals(dataDir.resolve("offsite").resolve(Long.toString(mysqlInstance)), file.getParent());
                JsonNode manifest = new ObjectMapper().readTree(file.toFile());
                assertEquals(mysqlInstance, manifest.path("instance_id").asLong());
                assertEquals(file.getFileName().toString(), manifest.path("backup_id").asLong() + ".json");
            }
            // the steps that were there still run: every record of a completed backup is queued for the fan-out
            // (the fan-out's schedule is off here, so only the events route can have queued them)
            assertTrue(hub.count("SELECT COUNT(*) FROM copies") > 0);
            assertEquals(0, hub.context().getRegistry().lookupByNameAndType("copyQueue", CopyQueue.class)
                    .enqueueMissing(100_000), "nothing was left for the schedule to find");
        }
    }
}
