package io.backuphub.ops;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.backuphub.TestHub;
import io.backuphub.ops.metrics.HubMetrics;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole of /observe/metrics, Camel's series included, passes Prometheus' linter: {@code promtool check metrics}
 * when it is installed (Debian package {@code prometheus}), and always the rules it applies, checked here in Java.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsLintTest {

    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP (\\S+) ?(.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");

    private final SimulatedProviders providers = new SimulatedProviders();
    private TestHub hub;
    private String page;

    /** A hub whose routes have run, failed and sent to endpoints, so every kind of Camel series is on the page. */
    @BeforeAll
    void scrapeAHubThatHasWorked(@TempDir Path dataDir) {
        String target = "file:" + dataDir.resolve("storage");
        hub = providers.hubOn(dataDir).with("hub.storage.targets", target).start();
        hub.sync("cloud66");
        hub.sync("vprotect");
        providers.cloud66.failAlways("/stacks", Fault.status(401));
        hub.sync("cloud66");
        HubMetrics.of(hub.context()).orElseThrow().apiRequest("list-backups", 200);
        Observe.Response response = Observe.get(hub, "/observe/metrics");
        assertEquals(200, response.status(), response.body());
        page = response.body();
        PrometheusText.parse(page);
    }

    @AfterAll
    void stop() {
        hub.close();
        providers.close();
    }

    private static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void promtoolCheckMetricsFindsNoProblemOnTheWholePage() throws Exception {
        Path promtool = promtool();
        assumeTrue(promtool != null, "promtool is not installed (Debian: apt-get install prometheus)");
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(page.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals("", out.strip(), "promtool's findings");
        assertEquals(0, process.exitValue(), out);
    }

    @Test
    void everyFamilyHasHelpTextSnakeCaseLabelNamesCountersEndingInTotalAndNoFamilyTwice() {
        Map<String, String> help = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> labelNames = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (String line : page.split("\n")) {
            Matcher h = HELP.matcher(line);
            Matcher t = TYPE.matcher(line);
            if (h.matches()) {
                if (help.put(h.group(1), h.group(2)) != null) {
                    problems.add(h.group(1) + ": HELP twice (a family shown twice)");
                }
            } else if (t.matches()) {
                if (types.put(t.group(1), t.group(2)) != null) {
                    problems.add(t.group(1) + ": TYPE twice (a family shown twice)");
                }
            }
        }
        PrometheusText.parse(page).samples().forEach(sample -> labelNames.addAll(sample.labels().keySet()));
        assertTrue(types.size() > 10, "Camel's and the hub's families: " + types.keySet());
        assertTrue(types.keySet().stream().anyMatch(f -> f.startsWith("camel_")), types.keySet().toString());
        for (Map.Entry<String, String> family : types.entrySet()) {
            String name = family.getKey();
            if (help.getOrDefault(name, "").isBlank()) {
                problems.add(name + ": no HELP text");
            }
            if ("counter".equals(family.getValue()) && !name.endsWith("_total")) {
                problems.add(name + ": a counter whose name does not end in _total");
            }
        }
        for (String label : labelNames) {
            if (!SNAKE_CASE.matcher(label).matches()) {
                problems.add("label " + label + ": not snake_case");
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(labelNames.contains("route_id"), "Camel's routeId, as Prometheus names labels: " + labelNames);
        assertFalse(help.get("app_info").isBlank());
    }
}
