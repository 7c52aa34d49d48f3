package io.backuphub.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a page costs the catalog's H2 file, with the settings the hub runs with (a file database, every commit written
 * at once: {@code WRITE_DELAY=0}), and the contents a batch of copies reads ahead.
 */
class CatalogDiskWritesTest {

    private static final OffsetDateTime TAKEN = OffsetDateTime.of(2026, 3, 1, 2, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path folder;

    private HikariDataSource dataSource;
    private Catalog catalog;

    @BeforeEach
    void openCatalog() {
        TestCatalog test = TestCatalog.on("jdbc:h2:" + folder.resolve("catalog")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64", "sa", null);
        dataSource = test.dataSource();
        catalog = test.catalog();
    }

    @AfterEach
    void closeCatalog() {
        dataSource.close();
    }

    /**
     * Each page's backups and records take their ids from the identities' caches: H2 writes a page's changes to the
     * file when it commits, not each time an identity's cache of ids runs out (every 32 ids by default, about 60
     * writes of the whole open transaction for a page of 1,000 backups and their records).
     */
    @Test
    void aPageOfAThousandBackupsReachesTheFileInAFewWritesNotOneEveryFewIds() throws Exception {
        catalog.ingestPage(page(0, 10)); // customer, definition, instances: the first page's own writes
        long before = fileWrites();

        catalog.ingestPage(page(10, 1_000));

        long writes = fileWrites() - before;
        assertEquals(1_010, catalog.count("backups"));
        assertTrue(writes <= 10, "file writes for one page: " + writes);
    }

    @Test
    void contentsReadAheadForABatchAreHandedOutWithoutAQueryEachThenReadAgainByQuery() {
        catalog.ingestPage(page(0, 3));
        List<Long> records = catalog.jdbi().withHandle(h -> h.createQuery("SELECT id FROM records ORDER BY id")
                .mapTo(Long.class).list());
        AtomicInteger statements = new AtomicInteger();
        catalog.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });

        catalog.readContentsAhead(records);
        assertEquals(1, statements.getAndSet(0), "one query for the batch");
        for (int i = 0; i < 3; i++) {
            assertEquals(content("b-" + i), catalog.recordContent(records.get(i)).orElseThrow());
        }
        assertEquals(0, statements.getAndSet(0), "no query per record read ahead");

        assertEquals(content("b-1"), catalog.recordContent(records.get(1)).orElseThrow(), "taken once, then read");
        assertEquals(1, statements.get());
    }

    private long fileWrites() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = 'info.FILE_WRITE'")) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        }
    }

    /** vProtect-like backups over 10 protected entities, each with its manifest (about 2 KB) as a record's content. */
    private static List<CatalogBackup> page(int from, int count) {
        List<CatalogBackup> page = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String entity = "vm-" + (i % 10);
            page.add(new CatalogBackup("vprotect", "default", "vprotect-vm", "vProtect VM", entity, entity,
                    Map.of("protected_entity_guid", entity), "b-" + i, BackupStatus.COMPLETED, BackupType.FULL, TAKEN,
                    TAKEN.plusMinutes(5), 1_000L + i, List.of(), null, "fp-" + i,
                    List.of(new CatalogRecord("manifest", "The backup's details", "manifest", "backup-b-" + i + ".json",
                            "application/json", null, content("b-" + i))), "SUCCESS", List.of()));
        }
        return page;
    }

    private static String content(String guid) {
        return "{\"guid\":\"" + guid + "\",\"details\":\"" + "x".repeat(2_000) + "\"}";
    }
}
