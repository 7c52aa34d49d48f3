package io.backuphub.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The YAML DSL JSON schema that ships in the camel-yaml-dsl jar (draft-04), applied to route files. An option
 * given as a property placeholder ({@code "{{hub.fanout.max-redeliveries}}"}) is checked with the value
 * config/application.properties gives it, as Camel resolves it when it loads the route: the schema types
 * such options as numbers or booleans, and a placeholder that resolves to "ten" must still fail.
 */
final class YamlDslSchema {

    static final String DRAFT = "http://json-schema.org/draft-04/schema#";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}:]+)(?::([^{}]*))?}}");
    private static final Properties CONFIG = config();

    private YamlDslSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = YamlDslSchema.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            JsonNode schema = JSON.readTree(in);
            if (!DRAFT.equals(schema.path("$schema").asText())) {
                throw new IllegalStateException("the YAML DSL schema is no longer draft-04: " + schema.path("$schema"));
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties config() {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of("config/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Schema violations of a YAML routes file, read with the YAML 1.2 parser Camel itself uses. */
    static Set<ValidationMessage> violations(Path file) throws IOException {
        Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        JsonNode routes = JSON.valueToTree(yaml);
        Map<JsonNode, Consumer<JsonNode>> resolved = new IdentityHashMap<>();
        routes = resolvePlaceholders(routes, resolved, node -> { });
        // a resolved value where the schema wants a number or boolean is read as one, if it is one
        for (ValidationMessage violation : SCHEMA.validate(routes)) {
            Consumer<JsonNode> replace = resolved.get(violation.getInstanceNode());
            String text = violation.getInstanceNode() == null ? "" : violation.getInstanceNode().asText();
            String expected = violation.getMessage();
            if (replace != null && "type".equals(violation.getType())) {
                if (expected.endsWith("boolean expected") && text.matches("true|false")) {
                    replace.accept(BooleanNode.valueOf(Boolean.parseBoolean(text)));
                } else if (expected.matches(".*(number|integer) expected") && text.matches("-?[0-9]{1,18}")) {
                    replace.accept(LongNode.valueOf(Long.parseLong(text)));
                }
            }
        }
        return SCHEMA.validate(routes);
    }

    /** Replaces every value that is one whole placeholder with its configured text, noting how to retype it. */
    private static JsonNode resolvePlaceholders(JsonNode node, Map<JsonNode, Consumer<JsonNode>> resolved,
                                                Consumer<JsonNode> replace) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                object.set(name, resolvePlaceholders(object.get(name), resolved, value -> object.set(name, value)));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                array.set(i, resolvePlaceholders(array.get(i), resolved, value -> array.set(index, value)));
            }
        } else if (node.isTextual()) {
            Matcher placeholder = PLACEHOLDER.matcher(node.asText());
            String value = placeholder.matches()
                    ? CONFIG.getProperty(placeholder.group(1).trim(), placeholder.group(2)) : null;
            if (value != null) {
                JsonNode text = TextNode.valueOf(value.trim());
                resolved.put(text, replace);
                return text;
            }
        }
        return node;
    }
}
