package io.backuphub.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page of backups ingested at once, against a real, migrated database: H2 always, and PostgreSQL too when
 * HUB_TEST_POSTGRES_URL points at a server where HUB_TEST_POSTGRES_USER may create databases (each test gets its own).
 */
class PageIngestTest {

    private static final OffsetDateTime TAKEN = OffsetDateTime.of(2026, 3, 1, 2, 0, 0, 0, ZoneOffset.UTC);
    private static final String POSTGRES = System.getenv("HUB_TEST_POSTGRES_URL");
    private static final String POSTGRES_USER = System.getenv().getOrDefault("HUB_TEST_POSTGRES_USER", "postgres");

    private HikariDataSource dataSource;
    private Catalog catalog;
    private String postgresDatabase;

    static Stream<String> databases() {
        return POSTGRES != null && POSTGRES.startsWith("jdbc:postgresql:")
                ? Stream.of("h2", "postgresql") : Stream.of("h2");
    }

    private void openCatalog(String database) throws SQLException {
        TestCatalog test;
        if (database.equals("postgresql")) {
            postgresDatabase = "hub_page_" + UUID.randomUUID().toString().replace("-", "");
            admin("CREATE DATABASE " + postgresDatabase);
            test = TestCatalog.on(POSTGRES.substring(0, POSTGRES.lastIndexOf('/') + 1) + postgresDatabase, POSTGRES_USER,
                    System.getenv("HUB_TEST_POSTGRES_PASSWORD"));
        } else {
            test = TestCatalog.inMemory("page");
        }
        dataSource = test.dataSource();
        catalog = test.catalog();
    }

    @AfterEach
    void closeCatalog() throws SQLException {
        if (dataSource != null) {
            dataSource.close();
        }
        if (postgresDatabase != null) {
            admin("DROP DATABASE IF EXISTS " + postgresDatabase);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES, POSTGRES_USER,
                System.getenv("HUB_TEST_POSTGRES_PASSWORD"));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aPageWithANewAChangedAndAnUnchangedBackupTellsEachApartAndWritesOnlyWhatChanged(String database)
            throws Exception {
        openCatalog(database);
        catalog.ingestPage(List.of(backup("b-1", "fp-1", 1), backup("b-2", "fp-2", 1)));

        List<IngestOutcome> outcomes = catalog.ingestPage(List.of(backup("b-3", "fp-3", 2), backup("b-1", "fp-1b", 2),
                backup("b-2", "fp-2", 1)));

        assertEquals(List.of(IngestOutcome.Change.NEW, IngestOutcome.Change.UPDATED, IngestOutcome.Change.UNCHANGED),
                outcomes.stream().map(IngestOutcome::change).toList());
        assertEquals(3, catalog.count("backups"));
        assertEquals(1, catalog.count("backup_instances"));
        assertEquals(1, catalog.count("customers"));
        assertEquals(2 + 2 + 1, catalog.count("records"), "the changed backup gained its second record");
        assertEquals(2, catalog.count("endpoints"));
        assertEquals("fp-1b", catalog.fingerprint("cloud66-acme", "b-1").orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void thePageIsWrittenWithAFewBatchedStatementsWhateverItsSize(String database) throws Exception {
        openCatalog(database);
        AtomicInteger statements = new AtomicInteger();
        catalog.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });
        catalog.ingestPage(page("warm-", 1)); // customer, definition and instance now known

        statements.set(0);
        catalog.ingestPage(page("small-", 10));
        int small = statements.getAndSet(0);
        catalog.ingestPage(page("large-", 1_000));
        int large = statements.get();

        assertEquals(small, large, "statements per page do not grow with the page");
        assertTrue(large <= 8, "a handful of statements per page: " + large);
        assertEquals(1 + 10 + 1_000, catalog.count("backups"));
        assertEquals(2 * (1 + 10 + 1_000), catalog.count("records"));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFailingStatementMidPageLeavesNoneOfThePage(String database) throws Exception {
        openCatalog(database);
        List<CatalogBackup> page = new ArrayList<>(page("ok-", 20));
        // status_detail holds 2,000 characters: this one fails the batch in the middle of the page
        CatalogBackup tooLong = backup("bad", "fp", 1);
        page.add(10, new CatalogBackup(tooLong.provider(), tooLong.customer(), tooLong.definitionId(),
                tooLong.definitionName(), tooLong.instanceKey(), tooLong.instanceName(), tooLong.instanceSource(),
                tooLong.providerBackupId(), tooLong.status(), tooLong.type(), tooLong.startedAt(),
                tooLong.completedAt(), tooLong.sizeBytes(), tooLong.warnings(), "x".repeat(3_000),
                tooLong.fingerprint(), tooLong.records(), tooLong.providerStatus(), tooLong.unknownValues(),
                tooLong.source()));

        CatalogException failure = assertThrows(CatalogException.class, () -> catalog.ingestPage(page));

        assertTrue(failure.getCause() instanceof SQLException, failure.toString());
        for (String table : List.of("customers", "backup_instances", "backups", "endpoints", "records")) {
            assertEquals(0, catalog.count(table), table + ": none of the page");
        }
        assertEquals(20, catalog.ingestPage(page("ok-", 20)).size(), "the same page without it goes in");
        assertEquals(20, catalog.count("backups"));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoNodesIngestingTheSamePageAtOnceEndWithOneRowEach(String database) throws Exception {
        openCatalog(database);
        Catalog otherNode = new Catalog(dataSource, new ObjectMapper(), Clock.systemUTC(), "other");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                List<CatalogBackup> page = page("race-" + round + "-", 100);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<List<IngestOutcome>> a = pool.submit(() -> {
                    start.await();
                    return catalog.ingestPage(page);
                });
                Future<List<IngestOutcome>> b = pool.submit(() -> {
                    start.await();
                    return otherNode.ingestPage(page);
                });
                List<IngestOutcome> all = new ArrayList<>(a.get(30, TimeUnit.SECONDS));
                all.addAll(b.get(30, TimeUnit.SECONDS));
                assertEquals(100, all.stream().filter(o -> o.change() == IngestOutcome.Change.NEW).count(),
                        "each backup of round " + round + " is new on one node only");
                assertEquals(100, all.stream().filter(o -> o.change() == IngestOutcome.Change.UNCHANGED).count());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, catalog.count("customers"));
        assertEquals(1, catalog.count("backup_instances"));
        assertEquals(500, catalog.count("backups"));
        assertEquals(1_000, catalog.count("records"));
        assertEquals(2, catalog.count("endpoints"));
    }

    /**
     * H2 takes an equality on an index for 1 % of the rows at most, so an index on backups(status) drew every query
     * naming a status to it: the copies of a page of new backups were found by reading every completed backup.
     */
    @Test
    void aPageOfBackupsIsFoundByItsIdRangeWithoutReadingTheRestOfTheCatalogOnH2() throws Exception {
        openCatalog("h2");
        for (int p = 0; p < 3; p++) {
            catalog.ingestPage(page("page" + p + "-", 500));
        }
        long lowest = catalog.jdbi().withHandle(h -> h.createQuery("SELECT MIN(id) + 500 FROM backups")
                .mapTo(Long.class).one());

        String plan = catalog.jdbi().withHandle(h -> h.createQuery("EXPLAIN ANALYZE SELECT b.id FROM backups b "
                        + "WHERE b.status IN ('completed', 'partial') AND b.id BETWEEN :lowest AND :highest")
                .bind("lowest", lowest).bind("highest", lowest + 499)
                .mapTo(String.class).one());

        Matcher scanned = Pattern.compile("scanCount: (\\d+)").matcher(plan);
        assertTrue(scanned.find(), plan);
        assertTrue(Integer.parseInt(scanned.group(1)) <= 501, "rows read for a page of 500 of 1,500: " + plan);
    }

    private static List<CatalogBackup> page(String prefix, int size) {
        List<CatalogBackup> page = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            page.add(backup(prefix + i, "fp", 2));
        }
        return page;
    }

    private static CatalogBackup backup(String id, String fingerprint, int records) {
        List<CatalogRecord> recs = new ArrayList<>();
        recs.add(new CatalogRecord("databases", "Database dumps", "r1", "dump.sql.gz", "application/gzip", 10L));
        if (records > 1) {
            recs.add(new CatalogRecord("logs", "Logs", "r2", "backup.log", "text/plain", 2L));
        }
        return new CatalogBackup("cloud66", "acme", "cloud66-db", "Databases", "stack-1", "Stack 1",
                Map.of("stack", "stack-1"), id, BackupStatus.COMPLETED, BackupType.FULL, TAKEN, TAKEN.plusMinutes(5),
                12L, List.of(), null, fingerprint, recs, "0", List.of(), "cloud66-acme");
    }
}
