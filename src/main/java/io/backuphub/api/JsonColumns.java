package io.backuphub.api;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The catalog's JSON text columns as the API shows them, read per row of a list. */
final class JsonColumns {

    private static final TypeReference<Map<String, String>> KEYS = new TypeReference<>() { };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private JsonColumns() {
    }

    /**
     * A JSON object of strings ({@code source_json}), read with the streaming parser: an object of plain values is
     * the common case, and the object mapper's set-up per call costs more than the parse. Anything else (nested
     * values, unreadable text) is read by the object mapper, as before.
     */
    static Map<String, String> keys(ObjectMapper json, String text) throws SQLException {
        try (JsonParser parser = json.getFactory().createParser(text)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                Map<String, String> keys = new LinkedHashMap<>();
                JsonToken token;
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.VALUE_STRING) {
                        keys.put(name, parser.getText());
                    } else if (value == JsonToken.VALUE_NULL) {
                        keys.put(name, null);
                    } else {
                        return read(json, text, KEYS);
                    }
                }
                if (token == JsonToken.END_OBJECT && parser.nextToken() == null) {
                    return keys;
                }
            }
        } catch (java.io.IOException e) {
            // not plain: the object mapper says what is wrong with it
        }
        return read(json, text, KEYS);
    }

    /** A JSON array of strings ({@code warnings_json}), as {@link #keys} reads an object. */
    static List<String> strings(ObjectMapper json, String text) throws SQLException {
        try (JsonParser parser = json.getFactory().createParser(text)) {
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                List<String> strings = new ArrayList<>();
                JsonToken token;
                while ((token = parser.nextToken()) == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NULL) {
                    strings.add(token == JsonToken.VALUE_NULL ? null : parser.getText());
                }
                if (token == JsonToken.END_ARRAY && parser.nextToken() == null) {
                    return strings;
                }
            }
        } catch (java.io.IOException e) {
            // not plain: the object mapper says what is wrong with it
        }
        return read(json, text, STRINGS);
    }

    private static <T> T read(ObjectMapper json, String text, TypeReference<T> type) throws SQLException {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable JSON column: " + e.getOriginalMessage(), e);
        }
    }
}
