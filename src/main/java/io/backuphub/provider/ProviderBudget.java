package io.backuphub.provider;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request budget of one provider account: every HTTP call to the provider (polls, instance syncs, syncs run by
 * hand, registration checks, backup tasks, imports, the fan-out's API calls, redeliveries of any of them) goes
 * through {@code direct:<source>-budget}, whose Throttle EIP (total-requests mode: a sliding window) lets at most
 * {@link #perPeriod()} calls through in any {@code budget-period-seconds} of the connection. A call over the budget waits
 * on its caller's thread until a permit frees; it is never refused.
 *
 * <p>Configuration: the connection's {@code requests-per-hour} (the budget) and {@code budget-period-seconds}
 * (the window, 3600 by default; a shorter one spreads the hourly budget evenly over the hour).
 *
 * <p>The route has no error handler of its own: a failed call goes back to its caller, whose redelivery sends it
 * through the budget again, so retries are counted too.
 */
public final class ProviderBudget {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderBudget.class);
    private static final String WAITED = "backupHubBudgetWaited";

    private final String source;
    private final int perHour;
    private final long periodMillis;
    private final int perPeriod;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waits = new AtomicLong();
    /** When each call of the current window went through (oldest first). */
    private final Deque<Long> passed = new ArrayDeque<>();

    ProviderBudget(String source, int perHour, long periodMillis) {
        if (perHour < 1 || periodMillis < 1) {
            throw new IllegalArgumentException("hub." + source + ".requests-per-hour and hub." + source
                    + ".budget-period-seconds must be positive");
        }
        this.source = source;
        this.perHour = perHour;
        this.periodMillis = periodMillis;
        this.perPeriod = (int) Math.max(1, Math.floor(perHour * (periodMillis / 3_600_000.0)));
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
     * and binds it in the registry as {@code <connection>Budget}, where the connection's budget route finds it.
     */
    public static ProviderBudget install(CamelContext context, Connection connection) {
        int perHour = Integer.parseInt(connection.setting("requests-per-hour"));
        long period = Long.parseLong(connection.setting("budget-period-seconds")) * 1000;
        ProviderBudget budget = new ProviderBudget(connection.name(), perHour, period);
        context.getRegistry().bind(bean(connection.name()), budget);
        LOG.info("source={} request budget: {} per hour, at most {} in any {} s", connection.name(), perHour,
                budget.perPeriod, period / 1000);
        return budget;
    }

    /**
     * Declares the provider's budget template {@code <provider>-budget}: {@code direct:<connection>-budget}, the
     * Throttle EIP in front of the provider's HTTP endpoint {@code uri} (template parameters allowed, such as
     * {@code {{base-url}}}), one budget per connection. The hub passes the parameters {@code budget-per-period}
     * and {@code budget-period-ms}. The route has no error handler of its own, so no {@code onException} of the
     * provider's routes redelivers a call inside it, around the throttle.
     */
    public static void template(RouteBuilder routes, String provider, String uri) {
        routes.routeTemplate(provider + "-budget")
                .templateParameter("connection")
                .templateParameter("budget-per-period")
                .templateParameter("budget-period-ms")
                .from("direct:{{connection}}-budget")
                .errorHandler(routes.noErrorHandler())
                .to("bean:{{connection}}Budget?method=arrive")
                .throttle(routes.constant("{{budget-per-period}}")).totalRequestsMode()
                    .timePeriodMillis("{{budget-period-ms}}")
                .to("bean:{{connection}}Budget?method=pass")
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

    /** Calls waiting for a permit now. */
    public int waiting() {
        return waiting.get();
    }

    /** Calls that had to wait for a permit, since start. */
    public long waits() {
        return waits.get();
    }

    /** Permits left in the current window. */
    public synchronized int remaining() {
        prune(System.currentTimeMillis());
        return Math.max(0, perPeriod - passed.size());
    }

    /** A call arrives at the budget (it waits in the throttle when the window is spent). */
    public void arrive(Exchange exchange) {
        boolean mustWait;
        synchronized (this) {
            mustWait = remaining() == 0 || waiting.get() > 0;
            if (mustWait) {
                waiting.incrementAndGet();
            }
        }
        if (mustWait) {
            waits.incrementAndGet();
            exchange.setProperty(WAITED, System.nanoTime());
            LOG.debug("source={} request budget spent ({} in {} s): the call waits", source, perPeriod, periodMillis / 1000);
        }
    }

    /** A call passed the throttle. */
    public void pass(Exchange exchange) {
        Long since = exchange.getProperty(WAITED, Long.class);
        if (since != null) {
            exchange.removeProperty(WAITED);
            waiting.decrementAndGet();
            LOG.debug("source={} call went on after waiting {} ms for the request budget", source,
                    (System.nanoTime() - since) / 1_000_000);
        }
        synchronized (this) {
            long now = System.currentTimeMillis();
            prune(now);
            passed.addLast(now);
        }
    }

    private void prune(long now) {
        while (!passed.isEmpty() && passed.peekFirst() <= now - periodMillis) {
            passed.removeFirst();
        }
    }
}
