package io.backuphub.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shapes of contract.md "Objects": every field the contract lists, with its JSON type (ids integers,
 * timestamps ISO-8601 UTC, enums from their sets). Fields may be added, never removed or retyped.
 */
final class Contract {

    enum Type { ID, TEXT, INTEGER, TIMESTAMP, DATE, BOOLEAN, ARRAY, OBJECT }

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    static final Map<String, Type> CUSTOMER = Map.of("id", Type.ID, "name", Type.TEXT, "created_at", Type.TIMESTAMP);
    static final Map<String, Type> INSTANCE = Map.ofEntries(Map.entry("id", Type.ID), Map.entry("customer_id", Type.ID),
            Map.entry("backup_definition_id", Type.TEXT), Map.entry("backup_frequency", Type.TEXT),
            Map.entry("name", Type.TEXT), Map.entry("provider", Type.TEXT), Map.entry("source", Type.OBJECT),
            Map.entry("status", Type.TEXT), Map.entry("last_backup_at", Type.TIMESTAMP),
            Map.entry("created_at", Type.TIMESTAMP), Map.entry("updated_at", Type.TIMESTAMP));
    static final Map<String, Type> BACKUP = Map.ofEntries(Map.entry("id", Type.ID),
            Map.entry("backup_instance_id", Type.ID), Map.entry("provider_backup_id", Type.TEXT),
            Map.entry("status", Type.TEXT), Map.entry("type", Type.TEXT), Map.entry("started_at", Type.TIMESTAMP),
            Map.entry("completed_at", Type.TIMESTAMP), Map.entry("size_bytes", Type.INTEGER),
            Map.entry("warnings", Type.ARRAY), Map.entry("copies", Type.ARRAY), Map.entry("provider_status", Type.TEXT));
    static final Map<String, Type> ENDPOINT = Map.of("name", Type.TEXT, "backup_instance_id", Type.ID,
            "description", Type.TEXT, "record_count", Type.INTEGER);
    static final Map<String, Type> RECORD = Map.of("id", Type.ID, "endpoint_name", Type.TEXT, "backup_id", Type.ID,
            "name", Type.TEXT, "content_type", Type.TEXT, "size_bytes", Type.INTEGER, "sha256", Type.TEXT,
            "created_at", Type.TIMESTAMP);
    static final Map<String, Type> EXPORT = Map.ofEntries(Map.entry("id", Type.ID),
            Map.entry("backup_instance_id", Type.ID), Map.entry("backup_id", Type.ID), Map.entry("status", Type.TEXT),
            Map.entry("export_formats", Type.ARRAY), Map.entry("content_types", Type.ARRAY),
            Map.entry("export_datetime", Type.DATE), Map.entry("force_full", Type.BOOLEAN),
            Map.entry("send_confirmation", Type.BOOLEAN), Map.entry("exported_data_url", Type.TEXT),
            Map.entry("expires_at", Type.TIMESTAMP), Map.entry("size_bytes", Type.INTEGER),
            Map.entry("created_at", Type.TIMESTAMP), Map.entry("completed_at", Type.TIMESTAMP));
    static final Map<String, Type> DEFINITION = Map.of("id", Type.TEXT, "provider", Type.TEXT, "name", Type.TEXT,
            "description", Type.TEXT, "created_at", Type.TIMESTAMP);

    static final Set<String> BACKUP_STATUSES = Set.of("queued", "in_progress", "completed", "partial", "failed", "removed",
            "unknown");
    static final Set<String> BACKUP_TYPES = Set.of("full", "incremental", "synchronization", "synthetic", "unknown");
    static final Set<String> EXPORT_STATUSES = Set.of("queued", "running", "completed", "failed");

    private Contract() {
    }

    /** Checks one object against a shape; nulls are allowed where the value can be unknown. */
    static void assertShape(Map<String, Type> shape, JsonNode object) {
        assertNotNull(object, "no JSON object");
        assertTrue(object.isObject(), () -> "not a JSON object: " + object);
        List<String> problems = new ArrayList<>();
        shape.forEach((field, type) -> {
            if (!object.has(field)) {
                problems.add(field + " is missing");
                return;
            }
            JsonNode value = object.get(field);
            if (value.isNull()) {
                return;
            }
            boolean ok = switch (type) {
                case ID -> value.isIntegralNumber() && value.asLong() > 0 || (value.isTextual() && !value.asText().isBlank());
                case TEXT -> value.isTextual();
                case INTEGER -> value.isIntegralNumber();
                case TIMESTAMP -> value.isTextual() && TIMESTAMP.matcher(value.asText()).matches();
                case DATE -> value.isTextual() && DATE.matcher(value.asText()).matches();
                case BOOLEAN -> value.isBoolean();
                case ARRAY -> value.isArray();
                case OBJECT -> value.isObject();
            };
            if (!ok) {
                problems.add(field + " is not " + type + ": " + value);
            }
        });
        assertEquals(List.of(), problems, () -> "contract shape of " + object);
    }

    static void assertInstance(JsonNode o) {
        assertShape(INSTANCE, o);
        assertTrue(o.get("id").isIntegralNumber() && o.get("customer_id").isIntegralNumber(), "integer ids");
    }

    static void assertBackup(JsonNode o) {
        assertShape(BACKUP, o);
        assertTrue(o.get("id").isIntegralNumber());
        assertTrue(BACKUP_STATUSES.contains(o.get("status").asText()), () -> "status " + o.get("status"));
        assertTrue(BACKUP_TYPES.contains(o.get("type").asText()), () -> "type " + o.get("type"));
    }

    static void assertRecord(JsonNode o) {
        assertShape(RECORD, o);
        assertTrue(o.get("id").isIntegralNumber() && o.get("backup_id").isIntegralNumber());
    }

    static void assertExport(JsonNode o) {
        assertShape(EXPORT, o);
        assertTrue(o.get("id").isIntegralNumber());
        assertTrue(EXPORT_STATUSES.contains(o.get("status").asText()), () -> "status " + o.get("status"));
    }

    static void assertEach(Map<String, Type> shape, JsonNode array) {
        assertNotNull(array, "no JSON");
        assertTrue(array.isArray(), () -> "not a JSON array: " + array);
        array.forEach(o -> assertShape(shape, o));
    }

    /** The contract's error body, with this code. */
    static void assertError(ApiFixture.Reply reply, int status, String code) {
        assertEquals(status, reply.status(), () -> "status of " + reply);
        assertNotNull(reply.json(), () -> "error body is not JSON: " + reply.body());
        assertEquals(Set.of("error"), fieldNames(reply.json()), () -> "error body " + reply.body());
        assertEquals(Set.of("code", "message"), fieldNames(reply.json().get("error")), () -> "error body " + reply.body());
        assertEquals(code, reply.errorCode(), () -> "error code of " + reply.body());
        assertTrue(!reply.json().path("error").path("message").asText().isBlank(), "an error says what is wrong");
        assertTrue(!reply.body().contains("Exception") && !reply.body().contains("\tat "), () -> "no stack trace: " + reply.body());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
