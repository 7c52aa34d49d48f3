package io.backuphub.api;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.openapi.OpenApiRestApiProcessorFactory;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.support.processor.DelegateProcessor;

/**
 * camel-openapi-java's document of the REST DSL (bound in the registry, so the {@code rest-api} endpoint uses it),
 * with what the REST DSL cannot say about parameters: ids and {@code page} count from 1, {@code per_page} is at
 * most {@value PageRequest#MAX_PER_PAGE}, and integer defaults are numbers. It also keeps the request's headers (a bearer token among them) out of
 * the answer, which platform-http would otherwise echo.
 */
public class ApiDocumentFactory implements RestApiProcessorFactory {

    private final RestApiProcessorFactory openApi = new OpenApiRestApiProcessorFactory();

    @Override
    public Processor createApiProcessor(CamelContext camelContext, String contextPath, RestConfiguration configuration,
                                       Map<String, Object> parameters) throws Exception {
        return new DelegateProcessor(openApi.createApiProcessor(camelContext, contextPath, configuration, parameters)) {
            @Override
            public void process(Exchange exchange) throws Exception {
                // the document is chosen by the path (.json, .yaml) and Accept
                String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
                String accept = exchange.getMessage().getHeader("Accept", String.class);
                exchange.getMessage().removeHeaders("*");
                exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
                exchange.getMessage().setHeader("Accept", accept);
                processor.process(exchange);
                exchange.getMessage().removeHeader("Accept");
                exchange.getMessage().removeHeader(Exchange.HTTP_PATH);
                finish(exchange);
            }
        };
    }

    private static void finish(Exchange exchange) throws IOException {
        byte[] document = exchange.getMessage().getBody(byte[].class);
        if (document == null || document.length == 0) {
            return;
        }
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        ObjectMapper mapper = type != null && type.contains("yaml") ? Yaml.mapper() : Json.mapper();
        JsonNode root = mapper.readTree(document);
        root.path("paths").forEach(path -> path.forEach(operation ->
                operation.path("parameters").forEach(ApiDocumentFactory::limits)));
        byte[] finished = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        exchange.getMessage().setBody(finished);
        exchange.getMessage().setHeader(Exchange.CONTENT_LENGTH, Integer.toString(finished.length));
    }

    private static void limits(JsonNode parameter) {
        if (!(parameter.path("schema") instanceof ObjectNode schema) || !"integer".equals(schema.path("type").asText())) {
            return;
        }
        // the REST DSL gives every default as text
        if (schema.path("default").isTextual() && schema.path("default").asText().matches("-?[0-9]{1,9}")) {
            schema.put("default", Integer.parseInt(schema.path("default").asText()));
        }
        String name = parameter.path("name").asText();
        if ("path".equals(parameter.path("in").asText()) || "page".equals(name)) {
            schema.put("minimum", 1);
        } else if ("per_page".equals(name)) {
            schema.put("minimum", 1);
            schema.put("maximum", PageRequest.MAX_PER_PAGE);
        }
    }
}
