package io.backuphub.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.backuphub.HubJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar backup-hub.jar} with --help or an option it does not know: the hub's own words, no Camel runner. */
class CommandLineIT {

    @TempDir
    Path dir;

    @Test
    void helpPrintsTheHubsOwnOptionsVariablesAndConfigLocationAndExitsZero() throws Exception {
        Path log = dir.resolve("help.log");
        Process hub = HubJar.builder(dir, log, "--help").start();
        assertEquals(0, HubJar.exitCode(hub, 60));
        String output = HubJar.read(log);
        for (String expected : List.of("--demo", "--help", "HUB_CONFIG", "HUB_API_PORT", "HUB_DATA_DIR", "HUB_API_CLIENTS",
                "HUB_CLOUD66_TOKEN", "HUB_VPROTECT_USERNAME", "HUB_VPROTECT_PASSWORD", "HUB_NODE_NAME", "HUB_LOG_FORMAT",
                dir.toRealPath().resolve("config").resolve("application.properties").toString())) {
            assertTrue(output.contains(expected), expected + " missing from:\n" + output);
        }
        assertFalse(output.contains("Apache Camel Runner"), output);
        assertFalse(output.contains("Apache Camel"), "no hub was started:\n" + output);
    }

    @Test
    void anUnknownOptionIsRefusedInOneLineWithExitCodeTwo() throws Exception {
        Path log = dir.resolve("unknown.log");
        Process hub = HubJar.builder(dir, log, "--deom").start();
        assertEquals(2, HubJar.exitCode(hub, 60));
        List<String> lines = HubJar.read(log).lines().toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("unknown option --deom"), lines.get(0));
        assertTrue(lines.get(0).contains("--help"), lines.get(0));
    }

    @Test
    void aConfigurationThatStillScansThePackageIsRefusedInOneLineNamingTheLineToRemove() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config").resolve("application.properties"),
                "camel.main.base-package-scan = io.backuphub\n");
        Path log = dir.resolve("scan.log");
        Process hub = HubJar.builder(dir, log).start();
        assertEquals(2, HubJar.exitCode(hub, 60));
        List<String> lines = HubJar.read(log).lines().toList();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("camel.main.base-package-scan = io.backuphub"), lines.get(0));
        assertTrue(lines.get(0).contains("remove that line"), lines.get(0));
    }
}
