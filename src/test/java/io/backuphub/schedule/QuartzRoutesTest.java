package io.backuphub.schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Date;

import io.backuphub.TestHub;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code quartz:} routes' jobs live in the job store and outlive the route objects that made them. */
class QuartzRoutesTest {

    private static final TriggerKey FANOUT = TriggerKey.triggerKey("fanout-storage", SchedulerConfiguration.ROUTE_GROUP);

    @TempDir
    Path dataDir;
    @TempDir
    Path routes;

    @Test
    void aQuartzRouteReplacedByALiveReloadOfItsYamlFileKeepsFiring() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        try (TestHub hub = TestHub.on(dataDir).with("hub.routes-dir", routes.toString())
                .with("hub.routes.reload", "true").with("hub.fanout.schedule", "* * * * * ?").start()) {
            Scheduler scheduler = hub.context().getComponent("quartz", QuartzComponent.class).getScheduler();
            await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.getTrigger(FANOUT).getPreviousFireTime() != null);
            Route before = hub.context().getRoute("fanout-storage");

            Path file = routes.resolve("fanout-storage.yaml");
            save(file, Files.readString(file) + "\n# edited while the hub runs\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.context().getRoute("fanout-storage") != null
                    && hub.context().getRoute("fanout-storage") != before);

            Date reloaded = new Date();
            await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.getTrigger(FANOUT).getPreviousFireTime()
                    .after(reloaded));
            // BLOCKED is a stateful job's trigger while the job runs (here every second); PAUSED would stop it
            Trigger.TriggerState state = scheduler.getTriggerState(FANOUT);
            assertTrue(state == Trigger.TriggerState.NORMAL || state == Trigger.TriggerState.BLOCKED,
                    "the trigger is not paused: " + state);
        }
    }

    @Test
    void theSchedulerCheckSaysTheJobsLiveInTheCatalogOnOneNode() {
        try (TestHub hub = TestHub.on(dataDir).start()) {
            HealthCheck.Result scheduler = HealthCheckHelper.invoke(hub.context()).stream()
                    .filter(r -> r.getCheck().getId().equals("scheduler")).findFirst().orElseThrow();
            assertEquals(HealthCheck.State.UP, scheduler.getState());
            assertEquals("JobStoreTX", scheduler.getDetails().get("job_store"));
            assertEquals(false, scheduler.getDetails().get("clustered"));
        }
    }

    /** Saves a file the way editors do: written beside it, then moved over it in one step. */
    private static void save(Path file, String text) throws IOException {
        Path draft = file.resolveSibling("." + file.getFileName() + ".draft");
        Files.writeString(draft, text);
        Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
