package io.backuphub.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * First step of every authenticated API route: the bearer token (or, where the reference says so, the
 * {@code Access-Token} header) becomes the {@link Caller} with the ids of the customers it may see.
 * <p>
 * Tokens are read from the HTTP request's own headers only. platform-http also copies query parameters
 * (and form fields) into the message headers, so a plain header lookup would accept
 * {@code ?Authorization=Bearer%20...}; a token in a URL ends up in proxy logs and Referer headers, so a
 * request that carries one in its query string is refused.
 */
public class Authentication implements Processor {

    static final String AUTHORIZATION = "Authorization";
    static final String ACCESS_TOKEN = "Access-Token";

    private final ApiClients clients;
    private final CatalogQueries queries;
    private final boolean acceptAccessTokenHeader;

    public Authentication(ApiClients clients, CatalogQueries queries, boolean acceptAccessTokenHeader) {
        this.clients = clients;
        this.queries = queries;
        this.acceptAccessTokenHeader = acceptAccessTokenHeader;
    }

    @Override
    public void process(Exchange exchange) {
        if (tokenInQuery(exchange)) {
            throw ApiException.unauthorized("credentials are not accepted in the query string: send the token in the "
                    + "Authorization header (Authorization: Bearer <token>)");
        }
        String token = bearer(requestHeader(exchange, AUTHORIZATION));
        if (token == null && acceptAccessTokenHeader) {
            String header = requestHeader(exchange, ACCESS_TOKEN);
            token = header != null && !header.isBlank() ? header.trim() : null;
        }
        if (token == null) {
            throw ApiException.unauthorized("no credentials: send Authorization: Bearer <token>");
        }
        ApiClients.Grant grant = clients.authenticate(token)
                .orElseThrow(() -> ApiException.unauthorized("the token is not valid (unknown or expired)"));
        Set<Long> ids = grant.customers() == null ? null : queries.customerIds(grant.customers());
        exchange.setProperty(Caller.PROPERTY, new Caller(grant.client(), ids));
    }

    /**
     * The value of a header the client sent as an HTTP header, or null when it is absent or came more than once
     * (ambiguous). Outside an HTTP request (a direct call) the message header, which then has no other source.
     */
    static String requestHeader(Exchange exchange, String name) {
        Message message = exchange.getMessage();
        if (message instanceof HttpMessage http && http.getRequest() != null) {
            List<String> values = http.getRequest().headers().getAll(name);
            return values.size() == 1 ? values.get(0) : null;
        }
        Object header = message.getHeader(name);
        return header instanceof String s ? s : null;
    }

    /** Whether the query string names a credential parameter ({@code Authorization}, {@code Access-Token}). */
    static boolean tokenInQuery(Exchange exchange) {
        String query = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (query == null) {
            query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        }
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String parameter : query.split("&")) {
            int eq = parameter.indexOf('=');
            String name = decoded(eq < 0 ? parameter : parameter.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            if (name.equals("authorization") || name.equals("access-token") || name.equals("access_token")) {
                return true;
            }
        }
        return false;
    }

    private static String decoded(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }

    private static String bearer(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.length() > 7 && trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = trimmed.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}
