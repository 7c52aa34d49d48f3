package io.backuphub.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.backuphub.CapturedLogs;
import io.backuphub.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flyway's warning that H2 is newer than the version it verified is not in the hub's log; its others are. */
class FlywayWarningTest {

    private static final String NEWER_THAN_VERIFIED = "newer than the version Flyway has been verified with";

    @TempDir
    Path dataDir;

    @Test
    void theHubStartsAndAnswersHealthWithoutFlywaysNewerThanVerifiedWarningInTheLog() {
        try (CapturedLogs logs = CapturedLogs.start()) {
            try (TestHub hub = TestHub.on(dataDir).start()) {
                Observe.Response ready = Observe.get(hub, "/observe/health/ready?data=true");
                assertEquals("UP", ready.check("catalog").path("status").asText(), ready.body());
            }
            assertFalse(logs.containing("at schema version").isEmpty(), "the catalog was migrated: " + logs.lines());
            assertEquals(List.of(), logs.containing(NEWER_THAN_VERIFIED));
        }
    }

    @Test
    void theHubsLogConfigurationDropsExactlyThatWarningAndKeepsFlywaysOthers() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlog4j2.configurationFile=config/log4j2.properties",
                FlywayLogProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);

        assertFalse(out.contains(NEWER_THAN_VERIFIED), out);
        assertTrue(out.contains("WARN  [main] Database - " + FlywayLogProbe.OTHER_WARNING), out);
    }
}
