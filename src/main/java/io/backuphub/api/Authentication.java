package io.backuphub.api;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * First step of every authenticated API route: the bearer token (or, where the reference says so, the
 * {@code Access-Token} header) becomes the {@link Caller} with the ids of the customers it may see.
 */
public class Authentication implements Processor {

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
        String token = bearer(exchange.getMessage().getHeader("Authorization"));
        if (token == null && acceptAccessTokenHeader) {
            Object header = exchange.getMessage().getHeader("Access-Token");
            token = header instanceof String s && !s.isBlank() ? s.trim() : null;
        }
        if (token == null) {
            throw ApiException.unauthorized("no credentials: send Authorization: Bearer <token>");
        }
        ApiClients.Grant grant = clients.authenticate(token)
                .orElseThrow(() -> ApiException.unauthorized("the token is not valid (unknown or expired)"));
        Set<Long> ids = grant.customers() == null ? null : queries.customerIds(grant.customers());
        exchange.setProperty(Caller.PROPERTY, new Caller(grant.client(), ids));
    }

    private static String bearer(Object header) {
        // a list means the header came twice (or a form field shadows it): ambiguous, refuse
        if (!(header instanceof String value)) {
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
