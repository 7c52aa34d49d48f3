package io.backuphub.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.AccessToken;
import org.apache.camel.Exchange;

/**
 * {@code POST /oauth/token}: the client-credentials grant. Client id and secret come as form fields or as HTTP
 * Basic credentials; the answer is a short-lived bearer token.
 */
public class OAuthApi {

    private final ApiClients clients;
    private final ObjectMapper json;

    public OAuthApi(ApiClients clients, ObjectMapper json) {
        this.clients = clients;
        this.json = json;
    }

    public AccessToken token(Exchange exchange) {
        RequestFields fields = RequestFields.of(exchange, json);
        String grant = fields.get("grant_type").orElse("");
        if (!grant.equals("client_credentials")) {
            throw ApiException.badRequest("unsupported_grant_type", "grant_type must be client_credentials");
        }
        String id = fields.get("client_id").orElse(null);
        String secret = fields.get("client_secret").orElse(null);
        // the request's own header: a query parameter of that name is never a credential
        String basic = Authentication.requestHeader(exchange, "Authorization");
        if (id == null && basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon > 0) {
                    id = pair.substring(0, colon);
                    secret = pair.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.unauthorized("the Basic credentials cannot be read");
            }
        }
        AccessToken token = clients.issue(id, secret)
                .orElseThrow(() -> new ApiException(401, "invalid_client", "unknown client or wrong secret"));
        // a token must not sit in caches (RFC 6749 5.1)
        ApiReply.protocolHeader(exchange, "Cache-Control", "no-store");
        return token;
    }
}
