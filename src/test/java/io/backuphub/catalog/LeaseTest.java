package io.backuphub.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Claims with a lease on a real database: H2 always, and PostgreSQL too when HUB_TEST_POSTGRES_URL points at one
 * (its user, HUB_TEST_POSTGRES_USER, needs to create a table).
 */
class LeaseTest {

    private static final String POSTGRES = System.getenv("HUB_TEST_POSTGRES_URL");
    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final String table = "lease_test_" + UUID.randomUUID().toString().replace("-", "");
    private final List<Jdbi> opened = new ArrayList<>();

    static Stream<String> databases() {
        return POSTGRES != null && POSTGRES.startsWith("jdbc:postgresql:")
                ? Stream.of("jdbc:h2:mem:", POSTGRES) : Stream.of("jdbc:h2:mem:");
    }

    @AfterEach
    void dropTable() {
        opened.forEach(jdbi -> jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS " + table)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoNodesClaimingAtOnceNeverGetTheSameRow(String url) throws Exception {
        Jdbi jdbi = database(url, 300);
        Lease a = lease("node-a");
        Lease b = lease("node-b");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<List<Long>> byA = pool.submit(claimAll(jdbi, a, start));
            Future<List<Long>> byB = pool.submit(claimAll(jdbi, b, start));
            start.countDown();
            List<Long> ofA = byA.get(60, TimeUnit.SECONDS);
            List<Long> ofB = byB.get(60, TimeUnit.SECONDS);

            Set<Long> both = new HashSet<>(ofA);
            both.retainAll(ofB);
            assertEquals(Set.of(), both, "no row is claimed by both nodes");
            assertEquals(300, new HashSet<>(ofA).size() + new HashSet<>(ofB).size(), "every row is claimed once");
            int heldByA = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table
                    + " WHERE claimed_by = 'node-a'").mapTo(Integer.class).one());
            assertEquals(ofA.size(), heldByA, "what a holds is what it was told");
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRowWhoseLeaseRanOutIsClaimableAgain(String url) {
        Jdbi jdbi = database(url, 3);
        Lease crashed = lease("node-a");
        Lease other = lease("node-b");

        assertEquals(List.of(1L, 2L), jdbi.inTransaction(h -> crashed.claim(h, 2, T0, "", u -> { })));
        assertEquals(List.of(3L), jdbi.inTransaction(h -> other.claim(h, 5, T0.plus(LEASE), "", u -> { })),
                "a lease holds until its end");
        assertEquals(List.of(1L, 2L), jdbi.inTransaction(h -> other.claim(h, 5, T0.plus(LEASE).plusSeconds(1), "",
                u -> { })), "once it has run out, another node takes the rows");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aNodeGivesBackOnlyItsOwnClaimsAndOnlyOnOpenRows(String url) {
        Jdbi jdbi = database(url, 4);
        Lease a = lease("node-a");
        Lease b = lease("node-b");
        jdbi.useTransaction(h -> a.claim(h, 2, T0, "", u -> { }));
        jdbi.useTransaction(h -> b.claim(h, 2, T0, "", u -> { }));
        jdbi.useHandle(h -> h.execute("UPDATE " + table + " SET status = 'done' WHERE id = 1"));

        int released = jdbi.withHandle(h -> a.release(h, "status = 'open'", Map.of(), null, ""));
        assertEquals(1, released);
        assertEquals(List.of(2L), jdbi.inTransaction(h -> b.claim(h, 5, T0, "", u -> { })),
                "a's open row is free at once; b's own rows and a's finished one are not");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aClaimIsRenewedOnlyWhileItsNodeStillHoldsIt(String url) {
        Jdbi jdbi = database(url, 1);
        Lease slow = lease("node-a");
        Lease other = lease("node-b");
        jdbi.useTransaction(h -> slow.claim(h, 1, T0, "", u -> { }));
        boolean renewed = jdbi.withHandle(h -> slow.renew(h, 1, T0.plusMinutes(4)));
        assertTrue(renewed, "a's own claim, renewed");
        assertEquals(List.of(), jdbi.inTransaction(h -> other.claim(h, 1, T0.plus(LEASE).plusSeconds(1), "", u -> { })),
                "renewed: held beyond the first lease");
        assertEquals(List.of(1L), jdbi.inTransaction(h -> other.claim(h, 1, T0.plusMinutes(4).plus(LEASE).plusSeconds(1),
                "", u -> { })));
        boolean renewedAfterTaken = jdbi.withHandle(h -> slow.renew(h, 1, T0.plusMinutes(10)));
        assertFalse(renewedAfterTaken, "taken by b: a cannot renew it");
    }

    /** A claim reads twice its batch of candidates before it locks: rows another node has locked are looked past. */
    @ParameterizedTest
    @MethodSource("databases")
    void aNodeClaimsPastTheRowsAnotherNodeHasLockedMidClaim(String url) {
        Jdbi jdbi = database(url, 10);
        try (Handle busy = jdbi.open()) {
            busy.begin(); // another node mid-claim: it has locked the first six rows, not claimed them yet
            assertEquals(6, busy.createQuery("SELECT id FROM " + table + " WHERE id <= 6 FOR UPDATE")
                    .mapTo(Long.class).list().size());

            assertEquals(List.of(7L, 8L), jdbi.inTransaction(h -> lease("node-b").claim(h, 2, T0, "", u -> { })),
                    "the first four candidates are locked elsewhere; the claim looks past them");
            assertEquals(List.of(9L, 10L), jdbi.inTransaction(h -> lease("node-b").claim(h, 3, T0, "", u -> { })));
            busy.rollback();
        }
        assertEquals(List.of(1L, 2L, 3L), jdbi.inTransaction(h -> lease("node-c").claim(h, 3, T0, "", u -> { })));
    }

    private Callable<List<Long>> claimAll(Jdbi jdbi, Lease lease, CountDownLatch start) {
        return () -> {
            start.await();
            List<Long> mine = new ArrayList<>();
            while (true) {
                List<Long> batch = jdbi.inTransaction(h -> lease.claim(h, 7, T0, "", u -> { }));
                mine.addAll(batch);
                boolean left = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table
                        + " WHERE claimed_by IS NULL").mapTo(Integer.class).one()) > 0;
                if (batch.isEmpty() && !left) {
                    return mine;
                }
            }
        };
    }

    private Lease lease(String node) {
        return new Lease(table, "status = 'open'", "id", node, LEASE);
    }

    private Jdbi database(String url, int rows) {
        Jdbi jdbi = url.startsWith("jdbc:h2:")
                ? Jdbi.create(url + table + ";DB_CLOSE_DELAY=-1")
                : Jdbi.create(url, System.getenv().getOrDefault("HUB_TEST_POSTGRES_USER", "postgres"),
                        System.getenv().getOrDefault("HUB_TEST_POSTGRES_PASSWORD", ""));
        opened.add(jdbi);
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, status VARCHAR(20) NOT NULL, "
                    + "claimed_by VARCHAR(200), claimed_until TIMESTAMP WITH TIME ZONE)");
            for (long id = 1; id <= rows; id++) {
                h.execute("INSERT INTO " + table + " (id, status) VALUES (?, 'open')", id);
            }
        });
        assertTrue(rows > 0);
        return jdbi;
    }
}
