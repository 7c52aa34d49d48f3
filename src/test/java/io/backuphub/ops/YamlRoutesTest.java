package io.backuphub.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.networknt.schema.ValidationMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every routes/*.yaml is valid against the YAML DSL schema shipped in the camel-yaml-dsl jar and loads into
 * a Camel context, so a typo fails the build and never reaches production.
 */
class YamlRoutesTest {

    @TempDir
    Path dir;

    static Stream<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertFalse(yaml.isEmpty());
            return yaml.stream();
        }
    }

    /** Loads a YAML routes file into a Camel context that is not started, as the hub's loader does. */
    static List<RouteDefinition> load(Path file) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:config/application.properties");
            Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + file);
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            return List.copyOf(context.getRouteDefinitions());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyRoutesFileIsValidAgainstTheYamlDslSchema(Path file) throws IOException {
        Set<ValidationMessage> violations = YamlDslSchema.violations(file);
        assertTrue(violations.isEmpty(), file + ": " + violations);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyRoutesFileLoadsIntoACamelContextWithAStableRouteId(Path file) throws Exception {
        List<RouteDefinition> routes = load(file);

        assertFalse(routes.isEmpty(), file + " has no route");
        for (RouteDefinition route : routes) {
            assertTrue(route.hasCustomIdAssigned(), file + ": every route needs an id, so a reload replaces it: " + route);
        }
    }

    @Test
    void aTypoInAStepFailsBothTheSchemaAndTheLoader() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), """
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - lgo:
                            message: "hello"
                """);

        Set<ValidationMessage> violations = YamlDslSchema.violations(typo);
        assertFalse(violations.isEmpty(), "the schema knows every step");
        assertTrue(violations.toString().contains("lgo"), violations.toString());
        Exception failure = assertThrows(Exception.class, () -> load(typo));
        assertTrue(failure.getMessage().contains("Unknown node id: lgo"), failure.getMessage());
        assertTrue(failure.getMessage().contains("line 6"), failure.getMessage());
    }

    @Test
    void aPlaceholderIsCheckedWithTheValueItResolvesTo() throws Exception {
        Path routes = Files.writeString(dir.resolve("retries.yaml"), """
                - routeConfiguration:
                    id: retries
                    onException:
                      - onException:
                          exception:
                            - java.lang.Exception
                          redeliveryPolicy:
                            maximumRedeliveries: "{{no.such.property:ten}}"
                            redeliveryDelay: "{{hub.fanout.redelivery-delay-ms}}"
                            useExponentialBackOff: "{{no.such.property:true}}"
                """);

        Set<ValidationMessage> violations = YamlDslSchema.violations(routes);
        assertEquals(1, violations.size(), violations.toString());
        assertTrue(violations.toString().contains("maximumRedeliveries: string found"), violations.toString());
    }
}
