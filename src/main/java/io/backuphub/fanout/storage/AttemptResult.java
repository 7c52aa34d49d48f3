package io.backuphub.fanout.storage;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Brings an attempt's outcome (the stored copy, or its failure) back to the copy's own exchange and
 * nothing else, and counts the attempt. An attempt runs on a copy of that exchange, so its steps may clear headers (provider
 * calls do) without touching the redelivery counter the error handler keeps there.
 */
public class AttemptResult implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange copy, Exchange attempt) {
        copy.setProperty(CopySteps.ATTEMPTS, copy.getProperty(CopySteps.ATTEMPTS, 0, Integer.class) + 1);
        if (attempt.getException() != null) {
            copy.setException(attempt.getException());
        } else {
            copy.setProperty(CopySteps.STORED, attempt.getProperty(CopySteps.STORED));
            copy.setProperty(CopySteps.WRITTEN, attempt.getProperty(CopySteps.WRITTEN));
            copy.setProperty(CopySteps.STARTED, attempt.getProperty(CopySteps.STARTED));
        }
        return copy;
    }
}
