package io.backuphub.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.util.URISupport;

/**
 * The fields of a request body under the reference's bracketed names ({@code backup_instance[backup_frequency]}),
 * whether the body was form-encoded, JSON with those names as keys, or JSON with the same names nested
 * ({@code {"backup_instance":{"backup_frequency":"daily"}}}). JSON arrays become comma lists.
 */
public final class RequestFields {

    private final Map<String, String> fields;

    private RequestFields(Map<String, String> fields) {
        this.fields = fields;
    }

    public static RequestFields of(Exchange exchange, ObjectMapper json) {
        Object body = exchange.getMessage().getBody();
        Map<String, String> fields = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> form) {
            // platform-http has parsed a form-encoded body already
            form.forEach((k, v) -> fields.put(String.valueOf(k), v instanceof List<?> l && !l.isEmpty()
                    ? String.valueOf(l.get(0)) : String.valueOf(v)));
            return new RequestFields(fields);
        }
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            return new RequestFields(fields);
        }
        String contentType = String.valueOf(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).toLowerCase();
        if (contentType.contains("x-www-form-urlencoded")) {
            try {
                URISupport.parseQuery(text).forEach((k, v) -> fields.put(k, String.valueOf(v)));
            } catch (Exception e) {
                throw ApiException.badRequest("invalid_body", "the form-encoded body cannot be read");
            }
            return new RequestFields(fields);
        }
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_body", "the body is neither a form nor valid JSON: "
                    + e.getOriginalMessage());
        }
        if (!root.isObject()) {
            throw ApiException.badRequest("invalid_body", "the JSON body must be an object");
        }
        flatten("", root, fields);
        return new RequestFields(fields);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + "[" + e.getKey() + "]";
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(name, value, into);
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                into.put(name, String.join(",", items));
            } else if (!value.isNull()) {
                into.put(name, value.asText());
            }
        }
    }

    /** A field's value, trimmed; empty when absent or blank. */
    public Optional<String> get(String name) {
        String value = fields.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String required(String name) {
        return get(name).orElseThrow(() -> ApiException.unprocessable("missing_field", name + " is required"));
    }
}
