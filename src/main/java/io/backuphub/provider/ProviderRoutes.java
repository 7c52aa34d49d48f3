package io.backuphub.provider;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/** What the provider pollers share: the shape of a sync route. */
public abstract class ProviderRoutes extends RouteBuilder {

    /**
     * A sync route: starts a {@link SyncRun}, runs the work through the source's circuit breaker
     * ({@link ProviderBreaker}; the source is the route id up to its first '-'), and whatever happens records
     * the run and logs one line; a failure never escapes to the scheduler as a stack trace. While the breaker
     * is open the work is skipped and the run recorded as failed with reason "circuit open".
     */
    protected void syncRoute(String uri, String routeId, Processor start, String work) {
        String source = routeId.substring(0, routeId.indexOf('-'));
        ProviderBreaker.install(getContext(), source);
        from(uri).routeId(routeId)
                .process(start)
                .doTry()
                    .circuitBreaker()
                        .resilience4jConfiguration()
                            .circuitBreaker(ProviderBreaker.beanName(source))
                            .throwExceptionWhenHalfOpenOrOpenState(true)
                        .end()
                        .to(work)
                    .end()
                .endDoTry()
                .doCatch(Exception.class)
                    .process(exchange -> {
                        if (ProviderBreaker.refused(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))) {
                            ProviderBreaker.skipped(exchange);
                        } else {
                            SyncRun.failed(exchange);
                        }
                    })
                .doFinally()
                    .process(SyncRun::finish)
                .end();
    }
}
