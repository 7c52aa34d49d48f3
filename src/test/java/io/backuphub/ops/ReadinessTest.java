package io.backuphub.ops;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.TestHub;
import io.backuphub.fanout.S3Server;
import io.backuphub.provider.SimulatedProviders;
import io.backuphub.demo.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness and liveness over HTTP on the hub's port, driven by real syncs against the simulators. */
class ReadinessTest {

    @TempDir
    Path dataDir;

    private final SimulatedProviders providers = new SimulatedProviders();

    @AfterEach
    void stopSimulators() {
        providers.close();
    }

    @Test
    void wrongCredentialsTurnTheSourceDownAfterThreeFailedPollsAndAGoodPollTurnsItBackUp() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            Observe.Response fresh = Observe.get(hub, "/observe/health/ready");
            assertEquals(200, fresh.status(), fresh.body());
            assertEquals("cloud66 has not been polled yet", fresh.message("cloud66"));

            assertTrue(hub.sync("cloud66").succeeded());
            providers.cloud66.failAlways("/stacks", Fault.status(401));
            hub.sync("cloud66");
            hub.sync("cloud66");
            Observe.Response twoFailures = Observe.get(hub, "/observe/health/ready");
            assertEquals(200, twoFailures.status(), "two failures in a row are tolerated: " + twoFailures.body());
            assertEquals("UP", twoFailures.check("cloud66").path("status").asText());

            hub.sync("cloud66");
            Observe.Response down = Observe.get(hub, "/observe/health/ready?data=true");
            assertEquals(503, down.status(), down.body());
            assertEquals("DOWN", down.json().path("status").asText());
            JsonNode cloud66 = down.check("cloud66");
            assertEquals("DOWN", cloud66.path("status").asText());
            String message = down.message("cloud66");
            assertTrue(message.contains("refused the credentials (401)"), message);
            assertTrue(message.contains("check hub.cloud66.token (HUB_CLOUD66_TOKEN)"), message);
            assertFalse(message.contains("Exception") || message.contains("\tat "), "no stack trace: " + message);
            assertFalse(cloud66.has("error-stacktrace"));
            JsonNode details = cloud66.path("data");
            assertEquals("failed", details.path("last.outcome").asText());
            assertEquals(3, details.path("consecutive.failures").asInt());
            assertTrue(details.path("last.error").asText().contains("refused the credentials (401)"));
            assertFalse(details.path("last.poll.time").asText().isEmpty());
            assertFalse(details.path("last.success.time").asText().isEmpty());
            assertEquals("UP", down.check("vprotect").path("status").asText(), "the other source is not affected");

            providers.cloud66.clearFaults();
            assertTrue(hub.sync("cloud66").succeeded());
            Observe.Response up = Observe.get(hub, "/observe/health/ready");
            assertEquals(200, up.status(), up.body());
            assertEquals("UP", up.check("cloud66").path("status").asText());
        }
    }

    @Test
    void theNumberOfFailedPollsThatTurnsASourceDownIsConfigurable() {
        try (TestHub hub = providers.hubOn(dataDir).with("hub.health.max-consecutive-failures", "1").start()) {
            providers.vprotect.failAlways("/backups", Fault.status(500));
            assertFalse(hub.sync("vprotect").succeeded());

            Observe.Response down = Observe.get(hub, "/observe/health/ready");
            assertEquals(503, down.status(), down.body());
            assertTrue(down.message("vprotect").contains("vprotect answered 500"), down.body());
        }
    }

    @Test
    void aPausedSourceStaysReadyAndSaysItIsPaused() throws Exception {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            new SourceControl(hub.context(), "cloud66").pause();

            Observe.Response ready = Observe.get(hub, "/observe/health/ready?data=true");
            assertEquals(200, ready.status(), ready.body());
            assertTrue(ready.check("cloud66").path("data").path("paused").asBoolean());
        }
    }

    @Test
    void theCatalogAndEachStorageTargetAreCheckedForReadiness() throws Exception {
        Path blocked = Files.writeString(dataDir.resolve("not-a-folder"), "a file where a folder should be");
        String good = "file:" + dataDir.resolve("copies");
        String bad = "file:" + blocked.resolve("storage");
        try (TestHub hub = TestHub.on(dataDir).with("hub.storage.targets", good + "," + bad).start()) {
            Observe.Response ready = Observe.get(hub, "/observe/health/ready");

            assertEquals(503, ready.status(), ready.body());
            assertEquals("UP", ready.check("catalog").path("status").asText());
            assertEquals("UP", ready.check("storage:" + good).path("status").asText());
            JsonNode unwritable = ready.check("storage:" + bad);
            assertEquals("DOWN", unwritable.path("status").asText());
            assertTrue(ready.message("storage:" + bad).startsWith("storage target " + bad + " is not writable: "),
                    unwritable.toString());
            assertTrue(Files.isDirectory(dataDir.resolve("copies")));
            try (var left = Files.list(dataDir.resolve("copies"))) {
                assertEquals(0, left.count(), "the probe file is removed");
            }
        }
    }

    @Test
    void anS3TargetWhoseBucketIsMissingIsNotReadyWithAClearMessageAndReadyOnceTheBucketExists() {
        String target = "s3://probe-bucket/hub";
        try (S3Server s3 = new S3Server(); TestHub hub = s3.configure(TestHub.on(dataDir))
                .with("hub.storage.targets", target).start()) {
            Observe.Response missing = Observe.get(hub, "/observe/health/ready?data=true");

            assertEquals(503, missing.status(), missing.body());
            assertEquals("DOWN", missing.check("storage:" + target).path("status").asText());
            String message = missing.message("storage:" + target);
            assertTrue(message.startsWith("storage target " + target + " is not writable: "), message);
            assertTrue(message.contains("S3 bucket 'probe-bucket' does not exist"), message);
            assertFalse(message.contains("\tat ") || message.contains("\n") || message.contains(S3Server.SECRET_KEY),
                    "one line, no stack trace, no secret: " + message);
            assertFalse(missing.check("storage:" + target).has("error-stacktrace"));

            s3.createBucket("probe-bucket");
            Observe.Response ready = Observe.get(hub, "/observe/health/ready");

            assertEquals(200, ready.status(), ready.body());
            assertEquals("UP", ready.check("storage:" + target).path("status").asText());
            assertEquals(0, s3.keys("probe-bucket").size(), "the probe object is removed");
        }
    }

    @Test
    void anS3TargetThatRefusesTheCredentialsIsNotReadyAndTheMessageNamesWhatToCheckButNotTheSecret() {
        String target = "s3://probe-bucket";
        try (S3Server s3 = new S3Server(); TestHub hub = s3.configure(TestHub.on(dataDir))
                .with("hub.s3.secret-key", "not-the-secret-key")
                .with("hub.storage.targets", target).start()) {
            s3.createBucket("probe-bucket");
            Observe.Response refused = Observe.get(hub, "/observe/health/ready?data=true");

            assertEquals(503, refused.status(), refused.body());
            String message = refused.message("storage:" + target);
            assertTrue(message.contains("S3 bucket 'probe-bucket' refused the credentials"), message);
            assertTrue(message.contains("check hub.s3.access-key and hub.s3.secret-key"), message);
            assertFalse(refused.body().contains("not-the-secret-key"), "no secret: " + refused.body());
        }
    }

    @Test
    void livenessReportsTheCamelContextAndTheScheduler() {
        try (TestHub hub = providers.hubOn(dataDir).start()) {
            Observe.Response live = Observe.get(hub, "/observe/health/live");

            assertEquals(200, live.status(), live.body());
            assertEquals("UP", live.check("context").path("status").asText());
            assertEquals("UP", live.check("scheduler").path("status").asText());
        }
    }
}
