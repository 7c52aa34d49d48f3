package io.backuphub.api;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Where the API's OpenAPI document is found besides {@code camel.rest.api-context-path} ({@code /openapi.json}):
 * {@code /openapi.yaml} is the same document as YAML, and {@code /}, {@code /api-docs} and
 * {@code /v1/openapi.json} lead to it (308). Listed before {@link ApiUnknownPaths}.
 */
public class ApiDocument extends RouteBuilder {

    public static final String JSON_PATH = "/openapi.json";

    @Override
    public void configure() {
        // the rest-api producer renders the document; a path ending in .yaml asks for YAML
        from("platform-http:/openapi.yaml?httpMethodRestrict=GET,HEAD").routeId("api-document-yaml")
                .process(ApiDocument::withoutRequestHeaders)
                .setHeader(Exchange.HTTP_PATH, constant("/openapi.yaml"))
                .to("rest-api:" + JSON_PATH + "?consumerComponentName=platform-http")
                .removeHeaders("*", Exchange.CONTENT_TYPE, Exchange.CONTENT_LENGTH);
        String[] leading = {"/", "/api-docs", "/v1/openapi.json"};
        for (int i = 0; i < leading.length; i++) {
            from("platform-http:" + leading[i] + "?httpMethodRestrict=GET,HEAD").routeId("api-document-redirect-" + i)
                    .process(ApiDocument::withoutRequestHeaders)
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(308))
                    .setHeader("Location", constant(JSON_PATH))
                    .setBody(constant(""));
        }
    }

    /** platform-http would echo the request's headers (a bearer token among them) in the answer. */
    private static void withoutRequestHeaders(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
    }
}
