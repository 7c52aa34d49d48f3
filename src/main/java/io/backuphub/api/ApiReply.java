package io.backuphub.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * What goes back to the client besides the body: the status and the response headers a handler chose. Request
 * headers (the bearer token among them) and Camel's own are removed, because platform-http would echo every
 * message header back to the client.
 */
public final class ApiReply {

    private static final String HEADERS = "backupHubApiReplyHeaders";

    private ApiReply() {
    }

    public static void status(Exchange exchange, int status) {
        exchange.setProperty(Exchange.HTTP_RESPONSE_CODE, status);
    }

    public static void header(Exchange exchange, String name, Object value) {
        headers(exchange).put(name, String.valueOf(value));
    }

    /** A {@link Page} body becomes its items plus {@code X-Total-Count} and {@code Link}; then only the reply's headers stay. */
    public static void prepare(Exchange exchange) {
        Message message = exchange.getMessage();
        if (message.getBody() instanceof Page<?> page) {
            header(exchange, "X-Total-Count", page.total());
            header(exchange, "Link", LinkHeader.of(ApiUrls.requestUrl(exchange), ApiUrls.rawQuery(exchange), page));
            message.setBody(page.items());
        }
        onlyReplyHeaders(exchange);
    }

    /** Removes every message header, then sets the status and the headers the handler chose. */
    public static void onlyReplyHeaders(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        Integer status = exchange.getProperty(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status == null ? 200 : status);
        headers(exchange).forEach(message::setHeader);
    }

    /**
     * A header platform-http does not take from the message (its filter drops Cache-Control and the like), put
     * on the HTTP response itself.
     */
    public static void protocolHeader(Exchange exchange, String name, String value) {
        if (exchange.getIn() instanceof HttpMessage http && http.getResponse() != null) {
            http.getResponse().putHeader(name, value);
        }
    }

    /**
     * platform-http frames every stream as chunked and drops a Content-Length header; when the length is known,
     * send it (clients show progress and check the size) by fixing the framing just before the head goes out.
     */
    public static void fixedLength(Exchange exchange, long length) {
        if (exchange.getIn() instanceof HttpMessage http && http.getResponse() != null) {
            var response = http.getResponse();
            response.headersEndHandler(v -> {
                response.headers().remove("Transfer-Encoding");
                response.headers().set("Content-Length", Long.toString(length));
            });
        }
    }

    /** Undoes {@link #fixedLength} when an error answers instead of the stream. */
    public static void variableLength(Exchange exchange) {
        if (exchange.getIn() instanceof HttpMessage http && http.getResponse() != null && !http.getResponse().headWritten()) {
            http.getResponse().headersEndHandler(null);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headers(Exchange exchange) {
        Map<String, String> headers = exchange.getProperty(HEADERS, Map.class);
        if (headers == null) {
            headers = new LinkedHashMap<>();
            exchange.setProperty(HEADERS, headers);
        }
        return headers;
    }

    /** Forgets the reply's headers (an error replaces the reply). */
    public static void reset(Exchange exchange) {
        exchange.removeProperty(HEADERS);
        exchange.removeProperty(Exchange.HTTP_RESPONSE_CODE);
    }
}
