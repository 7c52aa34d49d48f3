package io.backuphub.provider;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * What the providers' route templates share (see {@link Provider}): each template is one route of a connection,
 * with the template parameter {@code connection}, and every route it makes keeps the connection's name in exchange
 * property {@link Connection#PROPERTY}, where processors find the connection ({@link Connections#current}).
 */
public abstract class ProviderRoutes extends RouteBuilder {

    /**
     * A route template whose route starts at {@code uri} (template parameters allowed, such as
     * {@code direct:{{connection}}-get}) and notes the connection on the exchange.
     */
    protected RouteDefinition template(String templateId, String uri) {
        return routeTemplate(templateId)
                .templateParameter("connection")
                .from(uri)
                .setProperty(Connection.PROPERTY, constant("{{connection}}"));
    }

    /**
     * A sync route template, {@code direct:{{connection}}-<name>} for the template {@code <provider>-<name>}: starts
     * a {@link SyncRun}, runs the work through the connection's circuit breaker ({@link ProviderBreaker}), and
     * whatever happens records the run and logs one line; a failure never escapes to the scheduler as a stack
     * trace. While the breaker is open the work is skipped and the run recorded as failed with reason
     * "circuit open".
     */
    protected void syncTemplate(String templateId, Processor start, String work) {
        template(templateId, "direct:{{connection}}" + templateId.substring(templateId.indexOf('-')))
                .process(start)
                .doTry()
                    .circuitBreaker()
                        .resilience4jConfiguration()
                            .circuitBreaker("{{connection}}Breaker")
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
