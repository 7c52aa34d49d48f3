package io.backuphub.api;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * How an API route takes the result of a provider route it calls with {@code enrich}: the provider route runs
 * on a copy of the exchange, so its own error handling (redeliveries, the exhausted mark it leaves) stays there;
 * its properties (the sync's counters, the task sent) come back, and its failure becomes this exchange's, which
 * {@link ApiErrors} then answers.
 */
public final class ProviderCall implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange original, Exchange provider) {
        if (provider.getException() != null) {
            original.setException(provider.getException());
            return original;
        }
        original.getProperties().putAll(provider.getProperties());
        return original;
    }
}
