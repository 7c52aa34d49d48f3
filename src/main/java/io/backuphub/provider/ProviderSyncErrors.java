package io.backuphub.provider;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling shared by every provider route (Java or YAML): transient HTTP failures are redelivered
 * with exponential back-off; what is still failing after that propagates to the sync route, which logs
 * one line and leaves the cursor where it was.
 */
public class ProviderSyncErrors extends RouteConfigurationBuilder {

    public static final String ID = "provider-sync";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .errorHandler(defaultErrorHandler().logExhausted(false).logStackTrace(false))
                .onException(Exception.class)
                    .onWhen(exchange -> ProviderFailures.isTransient(exchange.getException()))
                    .maximumRedeliveries("{{hub.http.max-redeliveries}}")
                    .redeliveryDelay("{{hub.http.redelivery-delay-ms}}")
                    .useExponentialBackOff()
                    .maximumRedeliveryDelay("{{hub.http.max-redelivery-delay-ms}}")
                    .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.WARN)
                    .logExhausted(false)
                    .logStackTrace(false);
    }
}
