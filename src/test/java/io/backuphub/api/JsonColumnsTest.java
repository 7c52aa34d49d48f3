package io.backuphub.api;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JSON columns of a list's rows read exactly as the object mapper reads them, in the same order. */
class JsonColumnsTest {

    private final ObjectMapper json = ApiConfiguration.objectMapper();

    @Test
    void anObjectOfStringsReadsAsTheObjectMapperReadsIt() throws Exception {
        for (String text : List.of("{}", "{\"protected_entity_guid\":\"e-1\",\"connection\":\"vprotect\"}",
                " { \"b\" : \"2\", \"a\" : null, \"b\" : \"3\" } ", "{\"quote\":\"a \\\"b\\\" \\u00e9\"}",
                "{\"stack\":42,\"db\":true}")) {
            Map<String, String> expected = json.readValue(text, new TypeReference<Map<String, String>>() { });
            Map<String, String> read = JsonColumns.keys(json, text);
            assertEquals(expected, read, text);
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(read.keySet()), "the same order: " + text);
        }
    }

    @Test
    void anArrayOfStringsReadsAsTheObjectMapperReadsIt() throws Exception {
        for (String text : List.of("[]", "[\"slow\",\"partial\"]", " [ \"a\" , null ] ", "[1, \"x\"]",
                "[\"a\"] trailing")) {
            assertEquals(json.readValue(text, new TypeReference<List<String>>() { }), JsonColumns.strings(json, text),
                    text);
        }
    }

    @Test
    void unreadableTextIsAnErrorAsBefore() {
        assertThrows(SQLException.class, () -> JsonColumns.keys(json, "{\"a\":"));
        assertThrows(SQLException.class, () -> JsonColumns.keys(json, "[\"a\"]"));
        assertThrows(SQLException.class, () -> JsonColumns.keys(json, "{\"nested\":{\"a\":\"b\"}}"));
        assertThrows(SQLException.class, () -> JsonColumns.strings(json, "{\"a\":\"b\"}"));
    }
}
