package io.backuphub.provider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.backuphub.catalog.Catalog;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request budget holds for the cluster: nodes on one catalog database spend one budget per connection. Each
 * "node" here is a Camel context of its own, with its own pool, running the provider's budget route in front of the
 * Cloud66 simulator. On H2 always, and on PostgreSQL too when HUB_TEST_POSTGRES_URL points at a server where
 * HUB_TEST_POSTGRES_USER may create databases.
 */
class ProviderBudgetClusterTest {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderBudgetClusterTest.class);
    private static final String POSTGRES = System.getenv("HUB_TEST_POSTGRES_URL");
    private static final String USER = System.getenv().getOrDefault("HUB_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("HUB_TEST_POSTGRES_PASSWORD", "");
    private static final String TOKEN = "cluster-budget-token";
    private static final String STACKS = "^/api/3/stacks";
    /** 3 calls in any 3 s (3,600 an hour), for the whole cluster. */
    private static final int PER_PERIOD = 3;
    private static final long PERIOD_MS = 3_000;
    /** A permit is taken a moment before its call reaches the simulator; on a busy machine arrivals bunch by that. */
    private static final long ARRIVAL_JITTER_MS = 1_000;

    private final Cloud66Simulator cloud66 = new Cloud66Simulator(TOKEN).start();
    private final String database = "hub_budget_" + UUID.randomUUID().toString().replace("-", "");
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<CamelContext> nodes = new ArrayList<>();
    private final ExecutorService callers = Executors.newFixedThreadPool(9);
    private String url;

    static Stream<String> databases() {
        return POSTGRES != null && POSTGRES.startsWith("jdbc:postgresql:")
                ? Stream.of("h2", "postgresql") : Stream.of("h2");
    }

    @AfterEach
    void stop() throws SQLException {
        callers.shutdownNow();
        nodes.forEach(CamelContext::stop);
        pools.forEach(HikariDataSource::close);
        cloud66.close();
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            admin("DROP DATABASE IF EXISTS " + database);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoNodesOfOneConnectionLetThroughAtMostTheBudgetInAnyWindowTogetherAndTheWaitingCallsGoOn(String kind)
            throws Exception {
        catalog(kind);
        CamelContext nodeA = node("node-a", PER_PERIOD, PERIOD_MS, "acme-c66");
        CamelContext nodeB = node("node-b", PER_PERIOD, PERIOD_MS, "acme-c66");
        ProviderBudget budgetA = ProviderBudget.of(nodeA, "acme-c66").orElseThrow();
        ProviderBudget budgetB = ProviderBudget.of(nodeB, "acme-c66").orElseThrow();

        // nine calls at once, from both nodes: three windows' worth of the cluster's budget
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            CamelContext node = i % 2 == 0 ? nodeA : nodeB;
            calls.add(callers.submit(() -> {
                start.await();
                return call(node, "acme-c66");
            }));
        }
        start.countDown();
        await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> budgetA.waiting() + budgetB.waiting() > 0);
        for (Future<Integer> call : calls) {
            assertEquals(200, call.get(30, TimeUnit.SECONDS), "every call goes on once the window frees");
        }

        List<Long> arrivals = cloud66.requestTimes(STACKS);
        assertEquals(9, arrivals.size());
        for (int i = 0; i + PER_PERIOD < arrivals.size(); i++) {
            long span = arrivals.get(i + PER_PERIOD) - arrivals.get(i);
            assertTrue(span >= PERIOD_MS - ARRIVAL_JITTER_MS, "calls " + i + " to " + (i + PER_PERIOD) + " ("
                    + (PER_PERIOD + 1) + " calls of both nodes) came within " + span + " ms; the cluster's budget is "
                    + PER_PERIOD + " in " + PERIOD_MS + " ms; arrivals (ms after the first): "
                    + arrivals.stream().map(t -> t - arrivals.get(0)).toList());
        }
        assertTrue(arrivals.get(8) - arrivals.get(0) >= 2 * PERIOD_MS - ARRIVAL_JITTER_MS,
                "nine calls need three windows: " + arrivals.stream().map(t -> t - arrivals.get(0)).toList());
        assertEquals(6, budgetA.waits() + budgetB.waits(), "all but the first window's calls waited");
        assertEquals(0, budgetA.waiting() + budgetB.waiting(), "nothing waits any more");
        assertEquals(budgetA.remaining(), budgetB.remaining(), "both nodes see one window");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoConnectionsDoNotShareABudgetAndARestartedNodeKeepsTheWindow(String kind) throws Exception {
        catalog(kind);
        // 2 calls in any 10 minutes: a call over it would wait far longer than this test runs
        CamelContext nodeA = node("node-a", 2, 600_000, "acme-c66", "globex-c66");
        CamelContext nodeB = node("node-b", 2, 600_000, "acme-c66", "globex-c66");

        assertEquals(200, call(nodeA, "acme-c66"));
        assertEquals(200, call(nodeB, "acme-c66"));
        assertEquals(200, call(nodeB, "globex-c66"), "acme's spent budget is not globex's");
        assertEquals(200, call(nodeA, "globex-c66"));
        assertEquals(0, ProviderBudget.of(nodeA, "acme-c66").orElseThrow().remaining());
        assertEquals(0, ProviderBudget.of(nodeB, "globex-c66").orElseThrow().remaining());
        assertEquals(0, ProviderBudget.of(nodeA, "acme-c66").orElseThrow().waits()
                + ProviderBudget.of(nodeB, "acme-c66").orElseThrow().waits(), "nobody waited");

        nodeA.stop();
        CamelContext restarted = node("node-a", 2, 600_000, "acme-c66");
        ProviderBudget afterRestart = ProviderBudget.of(restarted, "acme-c66").orElseThrow();
        assertEquals(0, afterRestart.remaining(), "a restart does not reset the window");
        Future<Integer> overBudget = callers.submit(() -> call(restarted, "acme-c66"));
        await().atMost(java.time.Duration.ofSeconds(10)).until(() -> afterRestart.waiting() == 1);
        assertEquals(4, cloud66.requestTimes(STACKS).size(), "the call over the budget waits, unsent");
        assertTrue(!overBudget.isDone(), "it is still waiting");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void permitsTakenOneAfterAnotherAreEachCountedOnce(String kind) {
        catalog(kind);
        // a budget far above what is taken here, so no take waits: the cost of a permit alone
        ProviderBudget budget = new ProviderBudget("acme-c66", 3_600_000, 3_600_000, catalogOn(pool()).jdbi(), "node-a");
        int permits = 500;
        CamelContext context = new DefaultCamelContext();
        long started = System.nanoTime();
        for (int i = 0; i < permits; i++) {
            Exchange exchange = new DefaultExchange(context);
            budget.take(exchange);
            assertTrue(exchange.getProperty(ProviderBudget.WAIT) == null, "permit " + i + " taken at once");
        }
        double perPermit = (System.nanoTime() - started) / 1e6 / permits;
        LOG.info("{}: {} permits, {} ms per permit", kind, permits, String.format("%.2f", perPermit));
        assertEquals(budget.perPeriod() - permits, budget.remaining());
    }

    private static Catalog catalogOn(DataSource pool) {
        return new Catalog(pool, new ObjectMapper(), Clock.systemUTC(), "budget-test");
    }

    /** A node: a Camel context with its own pool on the catalog and the budget routes of the connections. */
    private CamelContext node(String name, int perPeriod, long periodMs, String... connections) throws Exception {
        CamelContext context = new DefaultCamelContext();
        // a call still waiting for the budget when the test ends does not hold the node's stop
        context.getShutdownStrategy().setTimeout(1);
        HikariDataSource pool = pool();
        for (String connection : connections) {
            int perHour = (int) (perPeriod * 3_600_000L / periodMs);
            context.getRegistry().bind(connection + "Budget",
                    new ProviderBudget(connection, perHour, periodMs, catalogOn(pool).jdbi(), name));
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                ProviderBudget.template(this, "cloud66", cloud66.baseUrl() + "/stacks");
            }
        });
        for (String connection : connections) {
            ProviderBudget budget = ProviderBudget.of(context, connection).orElseThrow();
            TemplatedRouteBuilder.builder(context, "cloud66-budget")
                    .routeId(connection + "-budget")
                    .parameter("connection", connection)
                    .parameter("budget-per-period", Integer.toString(budget.perPeriod()))
                    .parameter("budget-period-ms", Long.toString(budget.periodMillis()))
                    .add();
        }
        context.start();
        nodes.add(context);
        return context;
    }

    private int call(CamelContext node, String connection) {
        Exchange answer = node.createProducerTemplate().request(ProviderBudget.endpoint(connection), exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            exchange.getMessage().setHeader("Authorization", "Bearer " + TOKEN);
        });
        if (answer.getException() != null) {
            throw new IllegalStateException(answer.getException());
        }
        return answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    /** A fresh catalog database, migrated. */
    private void catalog(String kind) {
        if (kind.equals("postgresql")) {
            try {
                admin("CREATE DATABASE " + database);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            url = POSTGRES.substring(0, POSTGRES.lastIndexOf('/') + 1) + database;
        } else {
            // (lives while a pool holds a connection: until the test ends)
            url = "jdbc:h2:mem:" + database;
        }
        Flyway.configure().dataSource(pool()).locations("classpath:db/migration").load().migrate();
    }

    private HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(url.startsWith("jdbc:postgresql:") ? USER : "sa");
        config.setPassword(url.startsWith("jdbc:postgresql:") ? PASSWORD : "");
        config.setMaximumPoolSize(4);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
