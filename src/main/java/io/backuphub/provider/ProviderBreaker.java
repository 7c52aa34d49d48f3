package io.backuphub.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one provider account (one source): wraps the source's sync routes (the scheduled poll,
 * a sync run by hand and the sync of one instance share it). When the provider stays down, the breaker opens
 * and the polls that follow are skipped without calling the provider: each is recorded as a failed sync with
 * reason "circuit open" and logs one WARN line. After the wait the next poll is let through (half-open); if it
 * succeeds the breaker closes, if it fails the breaker opens again for another wait.
 *
 * <p>Settings (the connection's {@code breaker.<key>}, e.g. {@code hub.sources.<c>.breaker.<key>}, overrides {@code hub.breaker.<key>}):
 * {@code failure-rate-threshold} (percent of the polls in the window that failed), {@code minimum-number-of-calls}
 * (the window: that many polls are judged together), {@code wait-duration-ms} (how long it stays open).
 *
 * <p>The resilience4j {@link CircuitBreaker} is bound in the registry as {@link #beanName} and used by the
 * {@code circuitBreaker()} EIP of the sync routes ({@link ProviderRoutes}); this object is bound as
 * {@code <source>BreakerState} for the health check and the metrics.
 */
public final class ProviderBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderBreaker.class);

    private final String source;
    /** Where the connection's properties are ({@code hub.sources.<c>.}). */
    private final String prefix;
    private final CircuitBreaker breaker;
    private final Duration wait;
    private volatile Instant openedAt;

    private ProviderBreaker(String source, String prefix, CircuitBreakerConfig config, Duration wait) {
        this.source = source;
        this.prefix = prefix;
        this.wait = wait;
        this.breaker = CircuitBreaker.of(source + "-provider", config);
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN) {
                openedAt = Instant.now();
                LOG.warn("source={} circuit breaker OPEN: {}% of the last {} polls failed; polls are skipped until {} "
                                + "({}breaker.wait-duration-ms)", source, Math.round(breaker.getMetrics().getFailureRate()),
                        breaker.getMetrics().getNumberOfBufferedCalls(), retryAt(), prefix);
            } else if (to == CircuitBreaker.State.HALF_OPEN) {
                LOG.info("source={} circuit breaker HALF_OPEN: the next poll tries the provider again", source);
            } else if (to == CircuitBreaker.State.CLOSED) {
                openedAt = null;
                LOG.info("source={} circuit breaker CLOSED: the provider answers again", source);
            }
        });
    }

    /** The resilience4j breaker's name in the registry, for {@code circuitBreaker()} EIP's {@code circuitBreaker} option. */
    public static String beanName(String source) {
        return source + "Breaker";
    }

    private static String stateBeanName(String source) {
        return source + "BreakerState";
    }

    /** The source's breaker, made from its settings and bound in the registry the first time. */
    public static synchronized ProviderBreaker install(CamelContext context, String source) {
        ProviderBreaker existing = context.getRegistry().lookupByNameAndType(stateBeanName(source), ProviderBreaker.class);
        if (existing != null) {
            return existing;
        }
        Duration wait = Duration.ofMillis(Long.parseLong(setting(context, source, "wait-duration-ms")));
        ProviderBreaker created = new ProviderBreaker(source,
                Connections.property(context, source, ""), config(context, source, wait), wait);
        context.getRegistry().bind(stateBeanName(source), created);
        context.getRegistry().bind(beanName(source), CircuitBreaker.class, created.breaker);
        return created;
    }

    /** The source's breaker, if the source polls on this hub. */
    public static Optional<ProviderBreaker> of(CamelContext context, String source) {
        return Optional.ofNullable(context.getRegistry().lookupByNameAndType(stateBeanName(source), ProviderBreaker.class));
    }

    private static CircuitBreakerConfig config(CamelContext context, String source, Duration wait) {
        float threshold = Float.parseFloat(setting(context, source, "failure-rate-threshold"));
        int calls = Integer.parseInt(setting(context, source, "minimum-number-of-calls"));
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(threshold)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(calls)
                .minimumNumberOfCalls(calls)
                .waitDurationInOpenState(wait)
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
    }

    private static String setting(CamelContext context, String source, String key) {
        return context.getPropertiesComponent().resolveProperty(Connections.property(context, source, "breaker." + key))
                .or(() -> context.getPropertiesComponent().resolveProperty("hub.breaker." + key))
                .map(String::trim)
                .orElseThrow(() -> new IllegalArgumentException("hub.breaker." + key + " is not set"));
    }

    /**
     * The sync route's breaker refused the call: records the sync as failed with reason "circuit open", without
     * a stack trace ({@link SyncRun#finish} logs it as one WARN line).
     */
    public static void skipped(Exchange exchange) {
        SyncRun run = SyncRun.of(exchange);
        String reason = of(exchange.getContext(), run.source()).map(ProviderBreaker::reason)
                .orElse("circuit open: " + run.source() + " is not called");
        SyncRun.skipped(exchange, reason);
    }

    /** Whether the sync route's exception is the breaker refusing the call. */
    public static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CallNotPermittedException) {
                return true;
            }
        }
        return false;
    }

    private String reason() {
        return "circuit open: " + source + " kept failing, so it is not called until " + retryAt()
                + " (" + prefix + "breaker.*)";
    }

    private Instant retryAt() {
        Instant opened = openedAt;
        return (opened == null ? Instant.now() : opened).plus(wait);
    }

    public String source() {
        return source;
    }

    /** CLOSED, OPEN or HALF_OPEN (also DISABLED, FORCED_OPEN, METRICS_ONLY if someone forces it over JMX). */
    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** When the breaker last opened, while it is open or half-open; otherwise null. */
    public Instant openedAt() {
        return openedAt;
    }

    /** When a poll will be let through again, while the breaker is open. */
    public Instant nextAttemptAt() {
        return retryAt();
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }
}
