package io.backuphub.catalog;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The catalog's ingestion against a real, migrated H2 database. */
class CatalogTest {

    private static final OffsetDateTime TAKEN = OffsetDateTime.of(2026, 3, 1, 2, 0, 0, 0, ZoneOffset.UTC);

    private HikariDataSource dataSource;
    private Catalog catalog;

    @BeforeEach
    void openCatalog() {
        TestCatalog test = TestCatalog.inMemory("catalog");
        dataSource = test.dataSource();
        catalog = test.catalog();
    }

    @AfterEach
    void closeCatalog() {
        dataSource.close();
    }

    @Test
    void recordsSharingAnEndpointOrListedTwiceLeaveOneEndpointAndOneRowPerRecord() {
        CatalogRecord dump = new CatalogRecord("databases", "Database dumps", "r1", "dump.sql.gz", "application/gzip", 10L);
        CatalogRecord schema = new CatalogRecord("databases", "Database dumps", "r2", "schema.sql", "text/plain", 2L);

        IngestOutcome first = catalog.upsertBackup(backup("b-1", "fp-1", List.of(dump, schema, dump)));
        IngestOutcome again = catalog.upsertBackup(backup("b-1", "fp-2", List.of(schema,
                new CatalogRecord("logs", "Logs", "r3", "backup.log", "text/plain", null))));

        assertEquals(IngestOutcome.Change.NEW, first.change());
        assertEquals(IngestOutcome.Change.UPDATED, again.change());
        assertEquals(first.backupId(), again.backupId());
        assertEquals(2, catalog.count("endpoints"));
        assertEquals(3, catalog.count("records"));
        InstanceSource source = catalog.instanceSource(first.instanceId()).orElseThrow();
        assertEquals(Map.of("stack", "stack-1"), source.keys());
        assertEquals("cloud66-acme", source.source());
    }

    @Test
    void twoNodesIngestingTheSameNewBackupsAtOnceEndWithOneRowEach() throws Exception {
        Catalog otherNode = new Catalog(dataSource, new ObjectMapper(), Clock.systemUTC(), "other");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 10; i++) {
                CatalogBackup backup = backup("race-" + i, "fp", List.of(
                        new CatalogRecord("databases", "Database dumps", "r" + i, "dump.sql.gz", "application/gzip", 1L)));
                CyclicBarrier start = new CyclicBarrier(2);
                Future<IngestOutcome> a = pool.submit(() -> {
                    start.await();
                    return catalog.upsertBackup(backup);
                });
                Future<IngestOutcome> b = pool.submit(() -> {
                    start.await();
                    return otherNode.upsertBackup(backup);
                });
                List<IngestOutcome.Change> changes = new ArrayList<>(List.of(a.get(30, TimeUnit.SECONDS).change(),
                        b.get(30, TimeUnit.SECONDS).change()));
                changes.sort(null);
                assertEquals(List.of(IngestOutcome.Change.NEW, IngestOutcome.Change.UNCHANGED), changes,
                        "one node inserts backup " + i + ", the other finds it");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, catalog.count("customers"));
        assertEquals(1, catalog.count("backup_instances"));
        assertEquals(10, catalog.count("backups"));
        assertEquals(10, catalog.count("records"));
        assertEquals(1, catalog.count("endpoints"));
    }

    private static CatalogBackup backup(String id, String fingerprint, List<CatalogRecord> records) {
        return new CatalogBackup("cloud66", "acme", "cloud66-db", "Databases", "stack-1", "Stack 1",
                Map.of("stack", "stack-1"), id, BackupStatus.COMPLETED, BackupType.FULL, TAKEN, TAKEN.plusMinutes(5),
                12L, List.of(), null, fingerprint, records, "0", List.of(), "cloud66-acme");
    }
}
