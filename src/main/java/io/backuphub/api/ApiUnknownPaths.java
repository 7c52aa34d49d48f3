package io.backuphub.api;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * A request under {@code /v1} or {@code /oauth} that no operation serves gets the API's JSON error body (404),
 * not the HTTP server's HTML page. Listed after {@link ApiRoutes}, so its prefix routes are matched last.
 */
public class ApiUnknownPaths extends RouteBuilder {

    @Override
    public void configure() {
        for (String prefix : new String[] {"v1", "oauth"}) {
            from("platform-http:/" + prefix + "?matchOnUriPrefix=true").routeId("api-unknown-" + prefix + "-path")
                    .routeConfigurationId(ApiErrors.ID)
                    .process(ApiErrors::countWhenDone)
                    .process(ApiUnknownPaths::refuse);
        }
    }

    private static void refuse(Exchange exchange) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        String path = String.valueOf(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class));
        // the client's own text, echoed in JSON: shortened so a huge path is not answered back whole
        throw new ApiException(404, "not_found", "no operation of the API answers " + method + " "
                + (path.length() > 200 ? path.substring(0, 200) + "..." : path));
    }
}
