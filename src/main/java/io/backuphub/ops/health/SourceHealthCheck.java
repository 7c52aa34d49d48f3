package io.backuphub.ops.health;

import java.util.Map;

import io.backuphub.ops.SourceControl;
import io.backuphub.ops.SourceStatus;
import io.backuphub.ops.SyncHistory;
import io.backuphub.provider.ProviderBudget;
import io.backuphub.provider.ProviderBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one source, from the shared sync history: DOWN once its last {@code maxFailures} polls in a
 * row have failed, with the last error and its time as the message (already written for an operator, never
 * a stack trace). A source not polled yet is UP; so is a paused one (an operator's choice, shown in details).
 * The details also show the source's request budget ({@code budget.per-hour}, {@code budget.remaining}) and the
 * calls waiting for it ({@code budget.waiting}, {@code budget.waits} since start): waiting is not a failure.
 * The source's circuit breaker shows as {@code breaker.state} (CLOSED, OPEN, HALF_OPEN); while it is OPEN the
 * source is DOWN, whatever the count of failed polls.
 */
public class SourceHealthCheck extends AbstractHealthCheck {

    private final SourceControl control;
    private final String source;
    private final SyncHistory history;
    private final int maxFailures;

    public SourceHealthCheck(SourceControl control, SyncHistory history, int maxFailures) {
        super("backuphub", control.source());
        this.control = control;
        this.source = control.source();
        this.history = history;
        this.maxFailures = maxFailures;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SourceStatus status;
        try {
            status = history.status(source);
        } catch (RuntimeException e) {
            builder.down().message(source + ": cannot read the sync history: " + e.getMessage());
            return;
        }
        builder.detail("last.outcome", status.lastOutcome());
        builder.detail("consecutive.failures", status.consecutiveFailures());
        builder.detail("max.consecutive.failures", maxFailures);
        builder.detail("paused", control.isPaused());
        ProviderBudget.of(getCamelContext(), source).ifPresent(budget -> {
            builder.detail("budget.per-hour", budget.perHour());
            builder.detail("budget.remaining", budget.remaining());
            builder.detail("budget.waiting", budget.waiting());
            builder.detail("budget.waits", budget.waits());
        });
        ProviderBreaker breaker = ProviderBreaker.of(getCamelContext(), source).orElse(null);
        CircuitBreaker.State breakerState = breaker == null ? null : breaker.state();
        if (breakerState != null) {
            builder.detail("breaker.state", breakerState.name());
        }
        if (breakerState == CircuitBreaker.State.OPEN) {
            builder.detail("breaker.next.attempt.time", breaker.nextAttemptAt().toString());
        }
        if (status.lastPollAt() != null) {
            builder.detail("last.poll.time", status.lastPollAt().toString());
        }
        if (status.lastSuccessAt() != null) {
            builder.detail("last.success.time", status.lastSuccessAt().toString());
        }
        if (status.lastError() != null) {
            builder.detail("last.error", status.lastError());
        }
        if (breakerState == CircuitBreaker.State.OPEN) {
            builder.down().message(source + ": circuit breaker OPEN, polls are skipped until " + breaker.nextAttemptAt()
                    + "; the last " + status.consecutiveFailures() + " polls failed, the latest at " + status.lastPollAt()
                    + ": " + status.lastError());
        } else if (status.neverPolled()) {
            builder.up().message(source + " has not been polled yet");
        } else if (status.consecutiveFailures() >= maxFailures) {
            builder.down().message(source + ": the last " + status.consecutiveFailures() + " polls failed, the latest at "
                    + status.lastPollAt() + ": " + status.lastError());
        } else if (status.consecutiveFailures() > 0) {
            builder.up().message(source + ": " + status.consecutiveFailures() + " poll(s) in a row failed ("
                    + maxFailures + " make it DOWN), the latest at " + status.lastPollAt() + ": " + status.lastError());
        } else {
            builder.up();
        }
    }
}
