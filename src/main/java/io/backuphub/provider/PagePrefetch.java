package io.backuphub.provider;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;

/**
 * The next page of a provider's listing, asked for while the current page is ingested: without it each listing
 * request waits for the page before it to be written, and the provider's round trip adds to every page.
 *
 * <p>A page route asks for page n+1 as soon as it knows there is one ({@link #request}): an exchange with the sync's
 * properties and that page's path and query goes to the connection's call route on the template's thread pool. When
 * the route's loop reaches that page, {@link #answered} tells whether the prefetched request is the very one it is
 * about to make (same path, same query) and {@link #take} puts its answer on the exchange, body and headers, as if
 * the call had been made there; otherwise the route calls as usual. Pages are still ingested one after the other
 * and in order, and at most one request of a sync is in flight. A prefetched request that failed (after its own
 * redeliveries) fails the page it was for when the loop reaches it, not before: the pages before it are committed
 * as they would have been. A page whose ingest fails ends the sync, and the answer asked for after it is dropped.
 */
public final class PagePrefetch {

    /** Exchange property with the request in flight. */
    public static final String PROPERTY = "backupHubNextPage";

    private final String path;
    private final String query;
    private final CompletableFuture<Exchange> answer;

    private PagePrefetch(String path, String query, CompletableFuture<Exchange> answer) {
        this.path = path;
        this.query = query;
        this.answer = answer;
    }

    /**
     * Sends the request the exchange's headers describe ({@link Exchange#HTTP_PATH}, {@link Exchange#HTTP_QUERY}: set
     * them to the next page's first) to the connection's {@code direct:<connection><callRoute>} (such as {@code -get}),
     * without waiting for its answer.
     */
    public static Processor request(ProducerTemplate template, String callRoute) {
        return exchange -> {
            String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
            String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
            // an exchange of its own (a copy would share this one's unit of work, which another thread then walks):
            // the sync's properties (the connection, the run), the request's headers
            CompletableFuture<Exchange> answer = template.asyncSend(
                    "direct:" + Connections.current(exchange).name() + callRoute, call -> {
                        call.getProperties().putAll(exchange.getProperties());
                        call.removeProperty(PROPERTY);
                        call.getMessage().setHeader(Exchange.HTTP_PATH, path);
                        call.getMessage().setHeader(Exchange.HTTP_QUERY, query);
                    });
            exchange.setProperty(PROPERTY, new PagePrefetch(path, query, answer));
        };
    }

    /** True when the request the exchange's headers describe was sent ahead ({@link #request}). */
    public static Predicate answered() {
        return exchange -> {
            PagePrefetch sent = exchange.getProperty(PROPERTY, PagePrefetch.class);
            return sent != null && Objects.equals(sent.path, exchange.getMessage().getHeader(Exchange.HTTP_PATH))
                    && Objects.equals(sent.query, exchange.getMessage().getHeader(Exchange.HTTP_QUERY));
        };
    }

    /** Waits for the request sent ahead and puts its answer, or its failure, on the exchange. */
    public static void take(Exchange exchange) throws InterruptedException {
        PagePrefetch sent = exchange.getProperty(PROPERTY, PagePrefetch.class);
        exchange.removeProperty(PROPERTY);
        Exchange call;
        try {
            call = sent.answer.get();
        } catch (ExecutionException e) {
            fail(exchange, e.getCause());
            return;
        }
        if (call.getException() != null) {
            fail(exchange, call.getException());
            return;
        }
        exchange.getMessage().setHeaders(call.getMessage().getHeaders());
        exchange.getMessage().setBody(call.getMessage().getBody());
    }

    private static void fail(Exchange exchange, Throwable failure) {
        exchange.setException(failure);
        // the call's own route redelivered it as far as it should: the page route must not take it again
        exchange.getExchangeExtension().setRedeliveryExhausted(true);
    }
}
