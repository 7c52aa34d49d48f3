package io.backuphub.provider.cloud66;

import io.backuphub.provider.ProviderBudget;
import org.apache.camel.Exchange;
import org.apache.camel.model.RouteDefinition;

import static org.apache.camel.builder.Builder.constant;
import static org.apache.camel.builder.Builder.simple;

/** A form POSTed to Cloud66's API: where to, and its url-encoded fields. */
public interface Cloud66Form {

    String path();

    String form();

    /**
     * The steps that POST the form held in the exchange property {@code property} to Cloud66 with the API token,
     * leaving Cloud66's JSON answer (as text) in the body. The call counts against the token's
     * request budget ({@link ProviderBudget}). The token is read from the connection when the call is made,
     * so it never appears in a route definition or an endpoint URI.
     */
    static RouteDefinition post(RouteDefinition route, String property) {
        return route
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.HTTP_PATH, simple("${exchangeProperty." + property + ".path()}"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/x-www-form-urlencoded"))
                .setHeader("Accept", constant("application/json"))
                .process(Cloud66Routes::authorize)
                .setBody(simple("${exchangeProperty." + property + ".form()}"))
                .to("direct:{{connection}}-budget");
    }
}
