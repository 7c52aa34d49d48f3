package io.backuphub.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.ErrorBody;
import io.backuphub.ops.metrics.HubMetrics;
import io.backuphub.provider.ProviderFailures;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error handling of every API route: any failure becomes {@code {"error":{"code":...,"message":...}}} with its
 * status. Provider failures say what the provider answered; anything unexpected is a 500 with a reference to
 * the hub's log, where the stack trace goes (never to the client). Every request an API route answers, error
 * or not, is counted in {@code backuphub_api_requests_total} by operation and status.
 */
public class ApiErrors extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";
    private static final String ROUTE_PREFIX = "api-";
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @Override
    public void configuration() {
        JsonReply json = new JsonReply(getContext().getRegistry().lookupByNameAndType("apiJson", ObjectMapper.class));
        RouteConfigurationDefinition api = routeConfiguration(ID);
        api.onException(Exception.class)
                .handled(true)
                .process(ApiErrors::render)
                .process(json);
    }

    /**
     * Counts the request when its exchange is done, whatever the answer: the first step of every API route calls this.
     * A synchronization on the exchange itself, where an {@code onCompletion} would run on a copy of every exchange.
     */
    static void countWhenDone(Exchange exchange) {
        exchange.getExchangeExtension().addOnCompletion(COUNT);
    }

    private static final Synchronization COUNT = new SynchronizationAdapter() {
        @Override
        public void onDone(Exchange exchange) {
            count(exchange);
        }
    };

    /** The operation (its route id without {@code api-}) and the status the client was answered with. */
    static void count(Exchange exchange) {
        String route = exchange.getFromRouteId();
        if (route == null) {
            return;
        }
        String operation = route.startsWith(ROUTE_PREFIX) ? route.substring(ROUTE_PREFIX.length()) : route;
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        HubMetrics.of(exchange.getContext()).ifPresent(m -> m.apiRequest(operation, status == null ? 200 : status));
    }

    static void render(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiException error = toApiError(exchange, failure);
        ApiReply.variableLength(exchange);
        ApiReply.reset(exchange);
        ApiReply.status(exchange, error.status());
        error.headers().forEach((name, value) -> ApiReply.header(exchange, name, value));
        ApiReply.onlyReplyHeaders(exchange);
        exchange.getMessage().setBody(ErrorBody.of(error.code(), error.getMessage()));
    }

    private static ApiException toApiError(Exchange exchange, Exception failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof HttpOperationFailedException)) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpOperationFailedException http) {
            // a provider the API calls itself (its own schedule, a restore), named by the connection that called it
            String what = ProviderFailures.describe(exchange.getProperty(io.backuphub.provider.Connection.PROPERTY,
                    "the provider", String.class), http);
            int status = http.getStatusCode();
            // the request was refused for what it asked (no such stack, bad db_type), not for the hub's credentials
            boolean clientsFault = status >= 400 && status < 500 && status != 401 && status != 403 && status != 408
                    && status != 429;
            return clientsFault ? ApiException.unprocessable("provider_rejected", what)
                    : ApiException.unavailable("provider_unavailable", what);
        }
        if (cause instanceof IOException) {
            return ApiException.unavailable("provider_unavailable", ProviderFailures.describe("the provider", cause));
        }
        String reference = exchange.getExchangeId();
        LOG.error("API request failed (reference {}): {}", reference, failure.toString(), failure);
        return new ApiException(500, "internal_error", "the hub could not answer this request; the hub's log has "
                + "the details under reference " + reference);
    }
}
