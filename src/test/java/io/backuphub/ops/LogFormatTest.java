package io.backuphub.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * config/log4j2.properties in a fresh JVM (logging is set up once per JVM): text by default, JSON when
 * hub.log.format says so, and one line per event either way.
 */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Runs {@link LogProbe} with config/log4j2.properties and returns its console lines. */
    private static List<String> probe(Path applicationProperties, List<String> jvmOptions, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlog4j2.configurationFile=config/log4j2.properties"));
        command.addAll(jvmOptions);
        command.add(LogProbe.class.getName());
        command.add(applicationProperties.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(LogFormat.ENV);
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out.lines().toList();
    }

    private Path config(String text) throws IOException {
        return Files.writeString(dir.resolve("application.properties"), text);
    }

    private static void assertJsonEvents(List<String> lines) throws IOException {
        assertEquals(2, lines.size(), "one line per event: " + lines);
        JsonNode info = JSON.readTree(lines.get(0));
        assertEquals("source=cloud66 instance=7 backup=42 provider_backup=9 new status=completed", info.path("message").asText());
        assertEquals("INFO", info.path("level").asText());
        assertEquals("io.backuphub.events", info.path("loggerName").asText());
        assertTrue(info.path("@timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.+"),
                info.path("@timestamp").asText());
        JsonNode warn = JSON.readTree(lines.get(1));
        assertEquals("source=vprotect sync failed\nafter a line break", warn.path("message").asText());
        assertEquals("java.lang.IllegalStateException", warn.path("thrown").path("name").asText());
        assertTrue(warn.path("thrown").path("extendedStackTrace").asText().contains("LogProbe.main"));
    }

    @Test
    void textIsTheDefaultWithOneLinePerEventEvenForStackTraces() throws Exception {
        List<String> lines = probe(config("hub.log.format = text\n"), List.of(), Map.of());

        assertEquals(2, lines.size(), "one line per event: " + lines);
        assertTrue(lines.get(0).endsWith("INFO  [main] events - source=cloud66 instance=7 backup=42 provider_backup=9 "
                + "new status=completed"), lines.get(0));
        assertTrue(lines.get(1).contains("WARN  [main] events - source=vprotect sync failed\\nafter a line break | "
                + "java.lang.IllegalStateException: boom\\n\tat io.backuphub.ops.LogProbe.main"), lines.get(1));
    }

    @Test
    void jsonIsOneObjectPerLineWhenApplicationPropertiesSaySo() throws Exception {
        assertJsonEvents(probe(config("hub.log.format = json\n"), List.of(), Map.of()));
    }

    @Test
    void theEnvironmentAndASystemPropertyOverrideApplicationProperties() throws Exception {
        Path text = config("hub.log.format = text\n");

        assertJsonEvents(probe(text, List.of(), Map.of(LogFormat.ENV, "json")));
        assertJsonEvents(probe(text, List.of("-D" + LogFormat.PROPERTY + "=json"), Map.of(LogFormat.ENV, "text")));
    }
}
