package io.backuphub.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.backuphub.TestHub;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document the hub serves at {@code /openapi.json} (made by camel-openapi-java from the REST DSL) is
 * the committed {@code src/main/openapi/backup-hub-v1.json} that the tests' client is generated from, is a valid
 * OpenAPI 3 document, and says what the running API does: every operation, its bearer security, paging headers
 * and error body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServedOpenApiDocumentTest {

    static final Path COMMITTED = Path.of("src/main/openapi/backup-hub-v1.json");
    /** The operations a client calls without a bearer token: getting one, and the signed download link. */
    private static final Set<String> WITHOUT_TOKEN = Set.of("postOauthToken",
            "getV1BackupInstancesBackupInstanceExportsExportDownload");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestHub hub;
    private String baseUrl;
    private String served;
    private JsonNode document;

    @BeforeAll
    void startTheHub(@TempDir Path dataDir) throws Exception {
        hub = TestHub.on(dataDir).with("hub.api.clients", "doc-token=*").start();
        baseUrl = "http://127.0.0.1:" + hub.context().resolvePropertyPlaceholders("{{hub.api.port}}");
        HttpResponse<String> response = get("/openapi.json");
        assertEquals(200, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        served = response.body();
        document = json.readTree(served);
    }

    @AfterAll
    void stopTheHub() {
        hub.close();
    }

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        if (Boolean.getBoolean("openapi.refresh")) {
            Files.writeString(COMMITTED, served.endsWith("\n") ? served : served + "\n", StandardCharsets.UTF_8);
        }
        JsonNode committed = json.readTree(Files.readString(COMMITTED, StandardCharsets.UTF_8));
        assertEquals(committed, document, COMMITTED + " is not the document the hub serves at /openapi.json: "
                + "after changing the REST DSL or the api.model records, refresh it with "
                + "'mvn test -Dtest=ServedOpenApiDocumentTest -Dopenapi.refresh=true', review the diff and commit it "
                + "(the tests' client is generated from it)");
    }

    @Test
    void theDocumentIsAValidOpenApi3Document() {
        assertTrue(document.path("openapi").asText().startsWith("3."), document.path("openapi").asText());
        assertEquals("Backup Hub API", document.path("info").path("title").asText());
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served, null, options);
        assertNotNull(result.getOpenAPI(), () -> String.valueOf(result.getMessages()));
        assertEquals(List.of(), result.getMessages(), "the OpenAPI 3 parser's findings");
    }

    @Test
    void everyRestOperationOfTheRunningHubIsInTheDocumentUnderItsOperationId() {
        Set<String> inContext = new TreeSet<>();
        for (RestDefinition rest : ((ModelCamelContext) hub.context()).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String method = verb.asVerb().toLowerCase(Locale.ROOT);
                String path = rest.getPath() + (verb.getPath() == null ? "" : verb.getPath());
                JsonNode operation = document.path("paths").path(path).path(method);
                assertFalse(operation.isMissingNode(), method + " " + path + " is not in the document");
                assertNotNull(verb.getId(), method + " " + path + " has no operationId (.id(...))");
                assertEquals(verb.getId(), operation.path("operationId").asText(), method + " " + path);
                assertFalse(operation.path("summary").asText().isBlank(), method + " " + path + " has no summary");
                inContext.add(method + " " + path);
            }
        }
        assertEquals(inContext, operations().keySet(), "the document has exactly the REST DSL's operations");
        assertEquals(27, inContext.size(), inContext::toString);

        Set<String> ids = new TreeSet<>();
        operations().values().forEach(op -> assertTrue(ids.add(op.path("operationId").asText()), "unique ids"));
        assertTrue(ids.containsAll(List.of("getV1BackupInstances", "postV1BackupInstances",
                "getV1BackupInstancesBackupInstance", "putV1BackupInstancesBackupInstance",
                "getV1BackupInstancesBackupInstanceBackups", "postV1BackupInstancesBackupInstanceBackups",
                "getV1BackupInstancesBackupInstanceBackupsActive", "getV1BackupInstancesBackupInstanceBackupsBackup",
                "getV1BackupInstancesBackupInstanceEndpoints", "getV1BackupInstancesBackupInstanceEndpointsEndpointName",
                "getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecords",
                "getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecord",
                "getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordBlob",
                "getV1BackupInstancesBackupInstanceExports", "postV1BackupInstancesBackupInstanceExports",
                "getV1BackupInstancesBackupInstanceExportsExport")), "the Backupify reference's operationIds: " + ids);
    }

    @Test
    void everyOperationButTheTokenRequestAndTheSignedDownloadNeedsABearerTokenAndAnswers401WithoutOne()
            throws Exception {
        JsonNode scheme = document.path("components").path("securitySchemes").path("bearer");
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        for (Map.Entry<String, JsonNode> e : operations().entrySet()) {
            JsonNode op = e.getValue();
            String id = op.path("operationId").asText();
            if (WITHOUT_TOKEN.contains(id)) {
                assertTrue(op.path("security").isMissingNode() || op.path("security").isEmpty(), e.getKey());
                assertTrue(op.path("responses").path("401").isMissingNode() || id.equals("postOauthToken"), e.getKey());
                continue;
            }
            assertEquals(json.readTree("[{\"bearer\":[]}]"), op.path("security"), e.getKey());
            assertTrue(op.path("responses").has("401"), e.getKey() + " documents its 401");
            // what the document says is what the hub does: no token, 401 (whatever the ids)
            String[] methodAndPath = e.getKey().split(" ", 2);
            String path = methodAndPath[1].replaceAll("\\{[a-z_]+}", "1");
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .method(methodAndPath[0].toUpperCase(Locale.ROOT), HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode(), e.getKey() + ": " + response.body());
        }
    }

    @Test
    void everyListDeclaresItsPagingParametersAndTheLinkAndTotalCountHeaders() {
        List<String> lists = new ArrayList<>();
        operations().forEach((name, op) -> {
            JsonNode ok = op.path("responses").path("200");
            if (!"array".equals(ok.path("content").path("application/json").path("schema").path("type").asText())) {
                return;
            }
            lists.add(name);
            Set<String> query = new TreeSet<>();
            op.path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("query")) {
                    query.add(p.path("name").asText());
                }
                if (Set.of("page", "per_page").contains(p.path("name").asText())) {
                    assertEquals("integer", p.path("schema").path("type").asText(), name);
                    assertEquals(1, p.path("schema").path("minimum").asInt(), name + " " + p);
                    assertTrue(p.path("schema").path("default").isInt(), name + " " + p);
                }
                if (p.path("name").asText().equals("per_page")) {
                    assertEquals(PageRequest.MAX_PER_PAGE, p.path("schema").path("maximum").asInt(), name);
                }
            });
            assertTrue(query.containsAll(List.of("page", "per_page")), name + " " + query);
            assertEquals("string", ok.path("headers").path("Link").path("schema").path("type").asText(), name);
            assertEquals("integer", ok.path("headers").path("X-Total-Count").path("schema").path("type").asText(), name);
        });
        assertEquals(9, lists.size(), lists::toString);
    }

    @Test
    void errorsAreTheErrorBodyAndIdsAreIntegers() {
        operations().forEach((name, op) -> {
            op.path("responses").fields().forEachRemaining(r -> {
                if (r.getKey().startsWith("4") && !r.getKey().equals("416") || r.getKey().startsWith("5")) {
                    JsonNode content = r.getValue().path("content");
                    assertTrue(content.size() > 0, name + " " + r.getKey());
                    content.forEach(media -> assertEquals("#/components/schemas/ErrorBody",
                            media.path("schema").path("$ref").asText(), name + " " + r.getKey()));
                }
            });
            op.path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("path") && p.path("name").asText().matches(".*_id")
                        && !p.path("name").asText().equals("backup_definition_id")) {
                    assertEquals("integer", p.path("schema").path("type").asText(), name + " " + p);
                    assertEquals("int64", p.path("schema").path("format").asText(), name + " " + p);
                    assertEquals(1, p.path("schema").path("minimum").asInt(), name + " " + p);
                }
            });
        });
        JsonNode schemas = document.path("components").path("schemas");
        assertEquals("#/components/schemas/ErrorDetail",
                schemas.path("ErrorBody").path("properties").path("error").path("$ref").asText());
        assertEquals(Set.of("code", "message"), names(schemas.path("ErrorDetail").path("properties")));
        // the schemas name the fields as the API's JSON does: snake_case
        assertTrue(names(schemas.path("BackupInstance").path("properties")).containsAll(
                List.of("customer_id", "backup_definition_id", "backup_frequency", "last_backup_at")));
        assertTrue(names(schemas.path("Export").path("properties")).containsAll(
                List.of("exported_data_url", "expires_at", "export_formats", "backup_instance_id")));
        assertTrue(names(schemas.path("AccessToken").path("properties")).containsAll(
                List.of("access_token", "token_type", "expires_in")));
    }

    @Test
    void theDocumentIsAlsoServedAsYamlAndTheUsualAddressesLeadToIt() throws Exception {
        HttpResponse<String> yaml = get("/openapi.yaml");
        assertEquals(200, yaml.statusCode());
        assertTrue(yaml.headers().firstValue("Content-Type").orElse("").contains("yaml"));
        assertEquals(document, new YAMLMapper().readTree(yaml.body()));
        for (String path : List.of("/", "/api-docs", "/v1/openapi.json")) {
            HttpResponse<String> redirect = get(path);
            assertEquals(308, redirect.statusCode(), path);
            assertEquals("/openapi.json", redirect.headers().firstValue("Location").orElse(null), path);
        }
        // the document does not echo the request's headers (a token among them)
        for (String path : List.of("/openapi.json", "/openapi.yaml")) {
            HttpResponse<String> withToken = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer doc-token").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, withToken.statusCode(), path);
            assertTrue(withToken.headers().firstValue("Authorization").isEmpty(), path);
        }
    }

    /** "method path" of each operation in the document. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new java.util.TreeMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                operations.put(op.getKey() + " " + path.getKey(), op.getValue());
            }
        }));
        return operations;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
