package io.backuphub.catalog;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Aggregation for a multicast to side steps (routes/backup-events.yaml): the route carries on with the
 * exchange it had, whatever the side steps did to their copies. A failure a side step handled itself
 * stays there (it is logged); one it left unhandled fails the caller.
 */
public class SideSteps implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        throw new UnsupportedOperationException("needs the input exchange");
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange, Exchange inputExchange) {
        if (newExchange != null && newExchange.getException() != null) {
            inputExchange.setException(newExchange.getException());
        }
        return inputExchange;
    }
}
