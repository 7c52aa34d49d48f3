package io.backuphub.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The YAML DSL JSON schema that ships in the camel-yaml-dsl jar (draft-04), applied to route files. */
final class YamlDslSchema {

    static final String DRAFT = "http://json-schema.org/draft-04/schema#";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

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

    /** Schema violations of a YAML routes file, read with the YAML 1.2 parser Camel itself uses. */
    static Set<ValidationMessage> violations(Path file) throws IOException {
        Object yaml = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        return SCHEMA.validate(JSON.valueToTree(yaml));
    }
}
