package io.backuphub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Try it against the demo" block, run as written with bash and curl against the packaged jar in
 * demo mode: every id it looks up is found, and no request is answered with a 5xx. Only the port differs.
 */
class ReadmeDemoExamplesIT {

    private static final Pattern STATUS = Pattern.compile("HTTP_STATUS (\\d{3})");

    @TempDir
    Path dir;

    @Test
    void theReadmeDemoExamplesRunAsWritten() throws Exception {
        String block = demoBlock(Files.readString(Path.of("README.md")));
        int port = TestHub.freePort();
        Path log = dir.resolve("hub.log");
        // from the project folder, as the README runs it
        ProcessBuilder builder = HubJar.builder(Path.of("").toAbsolutePath(), log, "--demo");
        builder.environment().put("HUB_DATA_DIR", dir.resolve("data").toString());
        builder.environment().put("HUB_API_PORT", Integer.toString(port));
        Process hub = builder.start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    HubJar.read(log).contains("source=cloud66 scope=all sync completed")
                            && HubJar.read(log).contains("source=vprotect scope=all sync completed"));
            // curl as written, plus the status of every answer on a line of its own
            String script = "curl() { command curl -sS -w '\\nHTTP_STATUS %{http_code}\\n' \"$@\"; }\n"
                    + "cd " + dir + "\n"
                    + block.replace("HUB=http://localhost:8080", "HUB=http://localhost:" + port)
                    + "\necho \"LOOKED_UP DB=$DB VM=$VM BACKUP=$BACKUP RECORD=$RECORD EXPORT=$EXPORT VM_EXPORT=$VM_EXPORT\"\n";
            Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
            String output = new String(bash.getInputStream().readAllBytes());
            assertTrue(bash.waitFor(120, TimeUnit.SECONDS));

            Matcher looked = Pattern.compile("LOOKED_UP DB=(\\d+) VM=(\\d+) BACKUP=(\\d+) RECORD=(\\d+) EXPORT=(\\d+) "
                    + "VM_EXPORT=(\\d+)").matcher(output);
            assertTrue(looked.find(), "every id the examples look up is found:\n" + output);
            List<Integer> statuses = new ArrayList<>();
            Matcher status = STATUS.matcher(output);
            while (status.find()) {
                statuses.add(Integer.parseInt(status.group(1)));
            }
            long examples = block.lines().filter(line -> line.startsWith("curl ")).count();
            assertTrue(examples >= 20 && statuses.size() >= examples, "the " + examples + " examples were all sent:\n"
                    + output);
            assertFalse(statuses.stream().anyMatch(s -> s >= 500 || s == 0), "no 5xx, no refused request:\n" + output);
            assertEquals(0, statuses.stream().filter(s -> s == 401 || s == 403).count(), output);
        } finally {
            hub.destroy();
            hub.waitFor(45, TimeUnit.SECONDS);
        }
    }

    /** The first sh block after the heading "Try it against the demo". */
    static String demoBlock(String readme) {
        int heading = readme.indexOf("### Try it against the demo");
        int start = readme.indexOf("```sh\n", heading) + "```sh\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }
}
