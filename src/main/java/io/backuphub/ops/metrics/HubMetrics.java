package io.backuphub.ops.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.backuphub.ops.StorageTargets;
import io.backuphub.provider.ProviderBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * The hub's own meters, next to Camel's in the registry that {@code /observe/metrics} serves. Bound as
 * {@value #BEAN}: the sync, the storage fan-out and the API record through it. Names are Micrometer's;
 * the Prometheus names (in the comments) follow from them.
 */
public class HubMetrics {

    public static final String BEAN = "hubMetrics";

    /** {@code backuphub_polls_total{source,outcome}}: syncs of a source, by outcome (succeeded, failed). */
    public static final String POLLS = "backuphub.polls";
    /** {@code backuphub_backups_ingested_total{source,change}}: backups new or updated in the catalog. */
    public static final String BACKUPS_INGESTED = "backuphub.backups.ingested";
    /** {@code backuphub_lag_seconds{source}}: now minus the start of the source's newest backup in the catalog. */
    public static final String LAG = "backuphub.lag";
    /**
     * {@code backuphub_provider_breaker_state{source}}: the source's circuit breaker, 0 closed, 1 open,
     * 2 half-open (3 for any other state an operator forced).
     */
    public static final String BREAKER_STATE = "backuphub.provider.breaker.state";
    /** {@code backuphub_dead_letters}: work kept to retry, over every dead-letter queue. */
    public static final String DEAD_LETTERS = "backuphub.dead.letters";
    /** {@code backuphub_copied_bytes_total{target}}: bytes stored in a storage target. */
    public static final String COPIED = "backuphub.copied";
    /** {@code backuphub_copy_duration_seconds{target}}: time to store one copy (a histogram). */
    public static final String COPY_DURATION = "backuphub.copy.duration";
    /** {@code backuphub_api_requests_total{operation,status}}: v1 API requests by operation and HTTP status. */
    public static final String API_REQUESTS = "backuphub.api.requests";

    /** {@code backuphub_provider_budget_waits_total{source}}: provider calls that waited for the request budget. */
    public static final String BUDGET_WAITS = "backuphub.provider.budget.waits";
    /** {@code backuphub_provider_budget_waiting{source}}: provider calls waiting for the request budget now. */
    public static final String BUDGET_WAITING = "backuphub.provider.budget.waiting";
    /** {@code backuphub_provider_budget_remaining{source}}: calls left in the request budget's current window. */
    public static final String BUDGET_REMAINING = "backuphub.provider.budget.remaining";

    /** Histogram buckets of a copy: from a small file on a local disk to a large dump to a far bucket. */
    private static final Duration[] COPY_BUCKETS = Stream.of(0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800)
            .map(s -> Duration.ofMillis(Math.round(s.doubleValue() * 1000))).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Map<String, Counter> apiRequests = new ConcurrentHashMap<>();

    public HubMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The recorder bound in this context, if metrics are set up. */
    public static Optional<HubMetrics> of(CamelContext context) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(BEAN, HubMetrics.class));
    }

    /** A sync of a source ended (scheduled, run by hand, or of one instance). */
    public void syncFinished(String source, boolean succeeded) {
        polls(source, succeeded ? "succeeded" : "failed").increment();
    }

    /** A backup entered the catalog or changed there; {@code change} is {@code new} or {@code updated}. */
    public void backupIngested(String source, String change) {
        backupsIngested(source, change, 1);
    }

    /** {@code count} backups of a page entered the catalog or changed there: one increment per page, not per backup. */
    public void backupsIngested(String source, String change, long count) {
        if (count > 0) {
            Counter.builder(BACKUPS_INGESTED).description("Backups new or updated in the catalog")
                    .tag("source", source).tag("change", change.toLowerCase(Locale.ROOT))
                    .register(registry).increment(count);
        }
    }

    /** One copy stored in a storage target (the target as configured in {@code hub.storage.targets}). */
    public void copied(String target, long bytes, Duration duration) {
        copiedBytes(target).increment(bytes);
        copyDuration(target).record(duration);
    }

    /** One v1 API request answered. */
    public void apiRequest(String operation, int status) {
        // counted on every request: the counter is found once, not built and looked up in the registry each time
        apiRequests.computeIfAbsent(operation + ' ' + status, key -> Counter.builder(API_REQUESTS)
                .description("v1 API requests by operation and HTTP status")
                .tag("operation", operation).tag("status", Integer.toString(status))
                .register(registry)).increment();
    }

    /** Shows the polls of a source (at zero) before its first sync, so alerts have a series to watch. */
    public void watchSource(String source, Supplier<Optional<Duration>> lag) {
        polls(source, "succeeded");
        polls(source, "failed");
        Gauge.builder(LAG, () -> lag.get().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN))
                .description("Now minus the start of the source's newest backup in the catalog")
                .baseUnit("seconds").tag("source", source).strongReference(true).register(registry);
    }

    /** Shows a source's request budget: calls that waited, calls waiting now and permits left in the window. */
    public void watchBudget(ProviderBudget budget) {
        FunctionCounter.builder(BUDGET_WAITS, budget, ProviderBudget::waits)
                .description("Provider calls that waited for the request budget").tag("source", budget.source())
                .register(registry);
        Gauge.builder(BUDGET_WAITING, budget, ProviderBudget::waiting)
                .description("Provider calls waiting for the request budget now").tag("source", budget.source())
                .strongReference(true).register(registry);
        Gauge.builder(BUDGET_REMAINING, budget, ProviderBudget::remaining)
                .description("Provider calls left in the request budget's current window").tag("source", budget.source())
                .strongReference(true).register(registry);
    }

    /** The state of a source's circuit breaker as a number: 0 CLOSED, 1 OPEN, 2 HALF_OPEN, 3 other. */
    public void watchBreaker(String source, Supplier<String> state) {
        Gauge.builder(BREAKER_STATE, () -> switch (state.get()) {
                    case "CLOSED" -> 0;
                    case "OPEN" -> 1;
                    case "HALF_OPEN" -> 2;
                    default -> 3;
                })
                .description("Circuit breaker of a source: 0 closed, 1 open (polls skipped), 2 half-open")
                .tag("source", source).strongReference(true).register(registry);
    }

    public void watchDeadLetters(Supplier<Long> deadLetters) {
        Gauge.builder(DEAD_LETTERS, deadLetters::get).description("Work kept to retry, over every dead-letter queue")
                .strongReference(true).register(registry);
    }

    /** Shows a storage target's copy meters (at zero) before its first copy. */
    public void watchTarget(String target) {
        copiedBytes(target);
        copyDuration(target);
    }

    private Counter polls(String source, String outcome) {
        return Counter.builder(POLLS).description("Syncs of a source by outcome")
                .tag("source", source).tag("outcome", outcome).register(registry);
    }

    private Counter copiedBytes(String target) {
        return Counter.builder(COPIED).description("Bytes stored in a storage target").baseUnit("bytes")
                .tag("target", StorageTargets.label(target)).register(registry);
    }

    private Timer copyDuration(String target) {
        return Timer.builder(COPY_DURATION).description("Time to store one copy in a storage target")
                .serviceLevelObjectives(COPY_BUCKETS).tag("target", StorageTargets.label(target)).register(registry);
    }
}
