package io.backuphub.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import javax.management.ObjectName;

import io.backuphub.TestHub;
import io.backuphub.provider.SimulatedProviders;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.backuphub.provider.SimulatedProviders.CLOUD66_BACKUPS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * routes/*.yaml edited on disk while the hub runs (hub.routes.reload=true): the change takes effect live,
 * and a broken file is reported with its name and line while the routes that ran before keep running.
 */
class RouteReloadTest {

    /** The step an integration engineer adds: every Cloud66 backup also goes to an in-memory queue. */
    private static final String TAP_CLOUD66 = """
                    - filter:
                        simple: "${header.hubSource} == 'cloud66'"
                        steps:
                          - to: seda:cloud66-backups
            """;
    private static final String TAP = "seda:cloud66-backups";

    @TempDir
    Path dataDir;
    @TempDir
    Path routes;

    private final SimulatedProviders providers = new SimulatedProviders();
    private Path events;
    private String original;

    @BeforeEach
    void copyRoutes() throws IOException {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        events = routes.resolve("backup-events.yaml");
        original = Files.readString(events);
    }

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    private TestHub startHub() {
        return providers.hubOn(dataDir).with("hub.routes-dir", routes.toString()).with("hub.routes.reload", "true").start();
    }

    /** Saves a file the way editors do: written beside it, then moved over it in one step. */
    private static void save(Path file, String text) throws IOException {
        Path draft = file.resolveSibling("." + file.getFileName() + ".draft");
        Files.writeString(draft, text);
        Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether a Cloud66 backup event now reaches the tap (the edited route is in place). */
    private static boolean tapped(TestHub hub) {
        ProducerTemplate producer = hub.context().createProducerTemplate();
        ConsumerTemplate consumer = hub.context().createConsumerTemplate();
        producer.sendBodyAndHeader("direct:backups-changed", List.of(), "hubSource", "cloud66");
        return consumer.receiveNoWait(TAP) != null;
    }

    @Test
    void aYamlRouteEditedOnDiskChangesBehaviourLiveAndTheJavaRoutesStay() throws Exception {
        try (TestHub hub = startHub()) {
            assertTrue(!tapped(hub), "before the edit nothing goes to the tap");

            save(events, original + TAP_CLOUD66);

            await().atMost(Duration.ofSeconds(30)).until(() -> tapped(hub));
            assertNotNull(hub.context().getRoute("catalog-ingest"), "the Java routes are not removed by a reload");
            assertNotNull(hub.context().getRoute("cloud66-poll"));
            assertTrue(hub.sync("cloud66").succeeded());
            ConsumerTemplate consumer = hub.context().createConsumerTemplate();
            int tapped = 0;
            for (Exchange page = consumer.receiveNoWait(TAP); page != null; page = consumer.receiveNoWait(TAP)) {
                tapped += page.getMessage().getBody(List.class).size();
            }
            assertEquals(CLOUD66_BACKUPS, tapped, "every new Cloud66 backup passed through the edited route, in its page");
        }
    }

    /** Camel's MBean of the route watcher, as an operator's JMX console shows it. */
    private static ObjectName reloadMBean() throws Exception {
        Set<ObjectName> names = ManagementFactory.getPlatformMBeanServer().queryNames(
                new ObjectName("org.apache.camel:type=services,name=RouteWatcherReloadStrategy,*"), null);
        assertEquals(1, names.size(), names.toString());
        return names.iterator().next();
    }

    private static int failedReloads(ObjectName reload) throws Exception {
        return (Integer) ManagementFactory.getPlatformMBeanServer().getAttribute(reload, "FailedCounter");
    }

    private static String lastReloadError(ObjectName reload) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(reload, "lastErrorMessage", null, null);
    }

    @Test
    void aBrokenYamlFileIsReportedWithFileAndLineAndThePreviousRoutesKeepRunning() throws Exception {
        try (TestHub hub = startHub()) {
            ObjectName reload = reloadMBean();
            save(events, original + TAP_CLOUD66);
            await().atMost(Duration.ofSeconds(30)).until(() -> tapped(hub));
            int failed = failedReloads(reload);

            String typo = (original + TAP_CLOUD66).replace("- log:", "- lgo:");
            long typoLine = typo.substring(0, typo.indexOf("- lgo:")).lines().count();
            save(events, typo);

            await().atMost(Duration.ofSeconds(30)).until(() -> failedReloads(reload) > failed);
            String error = lastReloadError(reload);
            assertTrue(error.contains("Unknown node id: lgo"), error);
            assertTrue(error.contains("in file:" + events + ", line " + typoLine + ", column 11"), error);
            assertTrue(tapped(hub), "the route as it was before the broken edit still runs");

            save(events, original.replace("      steps:", "     steps:") + TAP_CLOUD66);

            await().atMost(Duration.ofSeconds(30)).until(() -> failedReloads(reload) > failed + 1);
            error = lastReloadError(reload);
            assertTrue(error.contains("in file:" + events + ", line "), "a YAML syntax error names file and line: " + error);
            assertTrue(tapped(hub));
            assertTrue(hub.sync("cloud66").succeeded(), "syncs go on");
        }
    }

    @Test
    void routesAreNotWatchedUnlessReloadIsOn() {
        try (TestHub hub = TestHub.on(dataDir).start()) {
            assertNull(hub.context().hasService(RouteWatcherReloadStrategy.class));
        }
    }
}
