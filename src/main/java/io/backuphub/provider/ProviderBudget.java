package io.backuphub.provider;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request budget of one provider account, for the whole cluster: every HTTP call to the provider (polls,
 * instance syncs, syncs run by hand, registration checks, backup tasks, imports, the fan-out's API calls,
 * redeliveries of any of them) goes through {@code direct:<source>-budget}, which takes a permit from the
 * connection's sliding window before the call: at most {@link #perPeriod()} calls in any
 * {@code budget-period-seconds} of the connection, counted over every node sharing the catalog database (the
 * window is kept there, {@link BudgetWindow}; so a restart does not reset it either). A call over the budget waits
 * on its caller's thread until the window's oldest permit leaves it; it is never refused.
 *
 * <p>Configuration: the connection's {@code requests-per-hour} (the budget) and {@code budget-period-seconds}
 * (the window, 3600 by default; a shorter one spreads the hourly budget evenly over the hour). Every node of a
 * cluster is expected to have the same settings for a connection: each enforces its own against the shared window.
 *
 * <p>The route has no error handler of its own: a failed call goes back to its caller, whose redelivery sends it
 * through the budget again, so retries are counted too. A call whose permit cannot be taken because the catalog
 * database cannot be reached fails the same way: it is not sent unbudgeted.
 */
public final class ProviderBudget {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderBudget.class);
    /** The milliseconds a call still has to wait for a permit; absent once it has one. */
    static final String WAIT = "backupHubBudgetWait";
    private static final String WAITED = "backupHubBudgetWaited";

    private final String source;
    private final int perHour;
    private final long periodMillis;
    private final int perPeriod;
    private final BudgetWindow window;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waits = new AtomicLong();

    /** The budget of a source over the catalog's Jdbi; its window's row is made when missing. */
    ProviderBudget(String source, int perHour, long periodMillis, Jdbi catalog, String node) {
        if (perHour < 1 || periodMillis < 1) {
            throw new IllegalArgumentException("hub." + source + ".requests-per-hour and hub." + source
                    + ".budget-period-seconds must be positive");
        }
        this.source = source;
        this.perHour = perHour;
        this.periodMillis = periodMillis;
        this.perPeriod = (int) Math.max(1, Math.floor(perHour * (periodMillis / 3_600_000.0)));
        this.window = BudgetWindow.open(catalog, source, perPeriod, Duration.ofMillis(periodMillis), node,
                Clock.systemUTC());
    }

    /** The endpoint that calls the source within its budget (HTTP method, path, query and body as set). */
    public static String endpoint(String source) {
        return "direct:" + source + "-budget";
    }

    /** The budget of a source, once its routes are in (absent when the source is off). */
    public static Optional<ProviderBudget> of(CamelContext context, String source) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(bean(source), ProviderBudget.class));
    }

    private static String bean(String source) {
        return source + "Budget";
    }

    /**
     * Makes the budget of a connection from its settings ({@code requests-per-hour}, {@code budget-period-seconds})
     * over the catalog database ({@code catalog} in the registry) and binds it in the registry as
     * {@code <connection>Budget}, where the connection's budget route finds it.
     */
    public static ProviderBudget install(CamelContext context, Connection connection) {
        int perHour = Integer.parseInt(connection.setting("requests-per-hour"));
        long period = Long.parseLong(connection.setting("budget-period-seconds")) * 1000;
        Catalog catalog = context.getRegistry().lookupByNameAndType("catalog", Catalog.class);
        if (catalog == null) {
            throw new IllegalStateException("source=" + connection.name()
                    + ": the request budget is kept in the catalog database, and there is no catalog");
        }
        String node = context.resolvePropertyPlaceholders("{{hub.node-name:" + context.getName() + "}}");
        ProviderBudget budget = new ProviderBudget(connection.name(), perHour, period, CatalogJdbi.of(catalog), node);
        context.getRegistry().bind(bean(connection.name()), budget);
        LOG.info("source={} request budget: {} per hour, at most {} in any {} s, shared by the nodes of the catalog",
                connection.name(), perHour, budget.perPeriod, period / 1000);
        return budget;
    }

    /**
     * Declares the provider's budget template {@code <provider>-budget}: {@code direct:<connection>-budget}, which
     * takes a permit of the connection's budget (the bean {@code <connection>Budget}) and then calls the provider's
     * HTTP endpoint {@code uri} (template parameters allowed, such as {@code {{base-url}}}), one budget per
     * connection. Over the budget, a Loop delays the call until the window frees a permit and tries again. The hub
     * passes the parameters {@code budget-per-period} and {@code budget-period-ms} (the bean holds the same values).
     * The route has no error handler of its own, so no {@code onException} of the provider's routes redelivers a
     * call inside it, around the budget.
     */
    public static void template(RouteBuilder routes, String provider, String uri) {
        routes.routeTemplate(provider + "-budget")
                .templateParameter("connection")
                .templateParameter("budget-per-period")
                .templateParameter("budget-period-ms")
                .from("direct:{{connection}}-budget")
                .errorHandler(routes.noErrorHandler())
                .to("bean:{{connection}}Budget?method=take")
                // the window is spent: wait (no lock held) until its oldest permit leaves it, then try again
                .loopDoWhile(routes.exchangeProperty(WAIT).isNotNull())
                    .delay(routes.exchangeProperty(WAIT)).syncDelayed().end() // (a Delay is a block of its own)
                    .to("bean:{{connection}}Budget?method=take")
                .end()
                .to(uri);
    }

    public String source() {
        return source;
    }

    public int perHour() {
        return perHour;
    }

    public int perPeriod() {
        return perPeriod;
    }

    public long periodMillis() {
        return periodMillis;
    }

    /** Calls of this node waiting for a permit now. */
    public int waiting() {
        return waiting.get();
    }

    /** Calls of this node that had to wait for a permit, since start. */
    public long waits() {
        return waits.get();
    }

    /** Permits left in the current window, shared by every node. */
    public int remaining() {
        return Math.max(0, perPeriod - window.taken());
    }

    /**
     * A call takes a permit: it goes on when it got one; otherwise the property {@value #WAIT} says how many
     * milliseconds until the window frees one, and the route waits that long and asks again.
     */
    public void take(Exchange exchange) {
        Long since = exchange.getProperty(WAITED, Long.class);
        long wait;
        try {
            wait = window.take();
        } catch (RuntimeException e) {
            // the catalog cannot be reached: the call fails (its caller's redelivery comes back through the budget)
            if (since != null) {
                exchange.removeProperty(WAITED);
                waiting.decrementAndGet();
            }
            exchange.removeProperty(WAIT);
            throw e;
        }
        if (wait > 0) {
            exchange.setProperty(WAIT, wait);
            if (since == null) {
                exchange.setProperty(WAITED, System.nanoTime());
                waiting.incrementAndGet();
                waits.incrementAndGet();
                LOG.debug("source={} request budget spent ({} in {} s): the call waits {} ms", source, perPeriod,
                        periodMillis / 1000, wait);
            }
            return;
        }
        exchange.removeProperty(WAIT);
        if (since != null) {
            exchange.removeProperty(WAITED);
            waiting.decrementAndGet();
            LOG.debug("source={} call went on after waiting {} ms for the request budget", source,
                    (System.nanoTime() - since) / 1_000_000);
        }
    }
}
