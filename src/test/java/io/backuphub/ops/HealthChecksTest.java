package io.backuphub.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.TestHub;
import io.backuphub.provider.SimulatedProviders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /observe/health lists the checks that matter: the hub's own and one for all routes, not one per route. */
class HealthChecksTest {

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    private static List<String> names(Observe.Response health) {
        List<String> names = new ArrayList<>();
        health.json().path("checks").forEach(check -> names.add(check.path("name").asText()));
        return names;
    }

    @Test
    void healthWithDetailsListsTheHubsChecksAndOneRoutesCheckInsteadOfOnePerRouteAndConsumer() {
        String target = "file:" + dataDir.resolve("storage");
        try (TestHub hub = providers.hubOn(dataDir).with("hub.storage.targets", target).start()) {
            Observe.Response health = Observe.get(hub, "/observe/health?data=true");

            assertEquals(200, health.status(), health.body());
            List<String> names = names(health);
            assertTrue(names.size() <= 10, "a handful of checks, not one per route: " + names);
            assertTrue(names.containsAll(List.of("context", "catalog", "scheduler", "storage:" + target, "cloud66",
                    "vprotect", "routes")), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.startsWith("route:") || n.startsWith("consumer:")), names.toString());
            JsonNode routes = health.check("routes");
            assertEquals("UP", routes.path("status").asText());
            assertEquals(hub.context().getRoutes().size(), routes.path("data").path("routes.total").asInt());
            assertEquals(0, routes.path("data").path("routes.not.running").asInt());
        }
    }

    @Test
    void aStoppedRouteTurnsTheRoutesCheckDownNamingTheRouteAndStartingItTurnsItBackUp() throws Exception {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            hub.context().getRouteController().stopRoute("catalog-ingest");

            Observe.Response down = Observe.get(hub, "/observe/health/ready?data=true");
            assertEquals(503, down.status(), down.body());
            JsonNode routes = down.check("routes");
            assertEquals("DOWN", routes.path("status").asText());
            assertEquals("catalog-ingest (Stopped)", routes.path("data").path("not.running").asText());
            assertEquals(1, routes.path("data").path("routes.not.running").asInt());
            assertTrue(down.message("routes").startsWith("1 route(s) not running: catalog-ingest (Stopped)"),
                    down.message("routes"));
            assertEquals("UP", down.check("catalog").path("status").asText(), "only the routes check is DOWN");

            hub.context().getRouteController().startRoute("catalog-ingest");
            Observe.Response up = Observe.get(hub, "/observe/health/ready");
            assertEquals(200, up.status(), up.body());
            assertEquals("UP", up.check("routes").path("status").asText());
        }
    }

    @Test
    void aPausedSourceLeavesTheRoutesCheckUpItsSuspendedPollRouteIsTheSourceChecksBusiness() throws Exception {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            new SourceControl(hub.context(), "cloud66").pause();

            Observe.Response ready = Observe.get(hub, "/observe/health/ready?data=true");
            assertEquals(200, ready.status(), ready.body());
            assertEquals("UP", ready.check("routes").path("status").asText());
            assertTrue(ready.check("cloud66").path("data").path("paused").asBoolean());

            hub.context().getRouteController().stopRoute("cloud66-poll");
            Observe.Response stopped = Observe.get(hub, "/observe/health/ready?data=true");
            assertEquals(503, stopped.status(), "a poll route that is stopped, not paused, is not running: "
                    + stopped.body());
            assertEquals("cloud66-poll (Stopped)", stopped.check("routes").path("data").path("not.running").asText());
        }
    }

    @Test
    void theRoutesCheckIsAboutReadinessNotLiveness() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            assertTrue(names(Observe.get(hub, "/observe/health/ready")).contains("routes"));
            assertFalse(names(Observe.get(hub, "/observe/health/live")).contains("routes"));
        }
    }
}
