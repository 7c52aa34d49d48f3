package io.backuphub.provider.vprotect;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.backuphub.TestHub;
import io.backuphub.demo.Fault;
import io.backuphub.demo.vprotect.VProtectSimulator;
import io.backuphub.provider.SyncRun;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A vProtect listing's next page is asked for while the page before it is ingested, and nothing else changes. */
class VProtectPagePrefetchTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LISTING = "^/api/backups/detailed$";

    @TempDir
    Path dataDir;

    @Test
    void theNextPageIsRequestedWhileThePageBeforeItIsIngested() throws Exception {
        try (VProtectSimulator vprotect = simulatorWithFiveBackups()) {
            try (TestHub hub = hub(vprotect)) {
                IngestWatch watch = new IngestWatch(vprotect);
                hub.context().getManagementStrategy().addEventNotifier(watch);
                watch.start();

                SyncRun run = hub.sync("vprotect");

                assertTrue(run.succeeded(), run.error());
                assertEquals(5, run.newCount());
                assertEquals(2, watch.listingsWhenTheFirstPageWasIngested.get(0),
                        "the second page was requested while the first one was being ingested");
                assertEquals(3, vprotect.requestCount("GET", LISTING), "three pages, each asked for once");
            }
        }
    }

    @Test
    void aNextPageThatKeepsFailingFailsTheSyncAtThatPageAfterThePagesBeforeItAreCommitted() throws Exception {
        try (VProtectSimulator vprotect = simulatorWithFiveBackups()) {
            try (TestHub hub = hub(vprotect)) {
                vprotect.failNext(LISTING, 1, Fault.delay(Duration.ZERO)); // the first page answers
                vprotect.failNext(LISTING, 4, Fault.status(500)); // the second, asked for ahead, never does

                SyncRun run = hub.sync("vprotect");

                assertFalse(run.succeeded());
                assertTrue(run.error().contains("answered 500"), "the page's own failure: " + run.error());
                assertEquals(2, hub.count("SELECT COUNT(*) FROM backups"), "the first page is in the catalog");
                assertEquals(START.plusSeconds(60).toEpochMilli(),
                        Long.parseLong(hub.catalog().cursor("vprotect", VProtectCursor.SCOPE).orElseThrow()),
                        "the cursor stands after the first page");
                assertEquals(1 + 4, vprotect.requestCount("GET", LISTING),
                        "the second page tried once and redelivered 3 times, not redelivered again where it is taken");

                vprotect.clearFaults();
                SyncRun next = hub.sync("vprotect");
                assertTrue(next.succeeded(), next.error());
                assertEquals(5, hub.count("SELECT COUNT(*) FROM backups"));
            }
        }
    }

    private static VProtectSimulator simulatorWithFiveBackups() {
        VProtectSimulator vprotect = new VProtectSimulator("hub", "secret").start();
        vprotect.addProtectedEntity("vm-1", "web-1", "VM");
        for (int i = 0; i < 5; i++) {
            vprotect.addBackup("vm-1", "b-" + i, "SUCCESS", "FULL", START.plusSeconds(60L * i), 1_000 + i);
        }
        return vprotect;
    }

    private TestHub hub(VProtectSimulator vprotect) {
        return TestHub.on(dataDir).vprotect(vprotect.baseUrl(), "hub", "secret")
                .with("hub.vprotect.page-size", "2")
                .start();
    }

    /**
     * Holds the first page's ingest (in the sync's own thread) until the simulator has received a second listing
     * request, for at most 10 s, and notes how many it had: without the prefetch that stays at one.
     */
    private static final class IngestWatch extends EventNotifierSupport {
        private final VProtectSimulator vprotect;
        final List<Integer> listingsWhenTheFirstPageWasIngested = new CopyOnWriteArrayList<>();

        IngestWatch(VProtectSimulator vprotect) {
            this.vprotect = vprotect;
        }

        @Override
        public void notify(CamelEvent event) throws Exception {
            if (event instanceof CamelEvent.ExchangeSendingEvent sending
                    && sending.getEndpoint().getEndpointUri().contains("catalog-ingest")
                    && listingsWhenTheFirstPageWasIngested.isEmpty()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (vprotect.requestCount("GET", LISTING) < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                listingsWhenTheFirstPageWasIngested.add(vprotect.requestCount("GET", LISTING));
            }
        }
    }
}
