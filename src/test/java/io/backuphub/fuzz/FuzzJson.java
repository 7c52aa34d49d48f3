package io.backuphub.fuzz;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON built from fuzz data: arbitrary values, text parsed as JSON, or real provider JSON (from the simulators)
 * with fields removed, replaced or added. Field names and string values are drawn partly from the samples, so
 * the mutations reach the code behind the fields the mappers read.
 */
public final class FuzzJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> TRICKY_TEXT = List.of("", " ", "0", "-1", "1", "7", "null", "NaN", "1e309",
            "99999999999999999999", "-9223372036854775808", "2026-10-01T02:00:00Z", "2026-13-45T99:99:99Z",
            "+999999999-12-31T23:59:59.999999999-18:00", "-999999999-01-01T00:00:00+18:00", "SUCCESS", "FULL", "VM",
            "mysql", "MySQL", "a b", "../..", "\u0000", "\uD800", "é", "x".repeat(300));

    private final List<JsonNode> samples;
    private final List<String> names;
    private final List<String> texts;

    public FuzzJson(List<JsonNode> samples) {
        this.samples = List.copyOf(samples);
        Set<String> names = new LinkedHashSet<>();
        Set<String> texts = new LinkedHashSet<>(TRICKY_TEXT);
        samples.forEach(s -> collect(s, names, texts));
        this.names = List.copyOf(names);
        this.texts = List.copyOf(texts);
    }

    /** One JSON value: a mutated sample, an arbitrary value, or fuzz text parsed as JSON. */
    public JsonNode next(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 5)) {
            case 0 -> arbitrary(data, 3);
            case 1 -> {
                String text = data.consumeString(2000);
                try {
                    JsonNode parsed = JSON.readTree(text);
                    yield parsed == null ? NODES.missingNode() : parsed;
                } catch (JsonProcessingException e) {
                    yield NODES.textNode(text);
                }
            }
            default -> mutate(data, pick(data, samples).deepCopy());
        };
    }

    private JsonNode mutate(FuzzedDataProvider data, JsonNode root) {
        int edits = data.consumeInt(1, 6);
        for (int i = 0; i < edits && data.remainingBytes() > 0; i++) {
            JsonNode target = descend(data, root);
            if (target instanceof ObjectNode object) {
                String name = data.consumeBoolean() && object.size() > 0 ? pick(data, fieldNames(object))
                        : data.consumeBoolean() ? pick(data, names) : data.consumeString(20);
                switch (data.consumeInt(0, 2)) {
                    case 0 -> object.remove(name);
                    case 1 -> object.set(name, arbitrary(data, 2));
                    default -> object.set(name, NODES.textNode(pick(data, texts)));
                }
            } else if (target instanceof ArrayNode array) {
                if (array.size() > 0 && data.consumeBoolean()) {
                    array.remove(data.consumeInt(0, array.size() - 1));
                } else {
                    array.add(arbitrary(data, 2));
                }
            }
        }
        return data.consumeInt(0, 20) == 0 ? arbitrary(data, 1) : root;
    }

    /** A random container inside {@code node} (or node itself). */
    private static JsonNode descend(FuzzedDataProvider data, JsonNode node) {
        JsonNode current = node;
        while (current.isContainerNode() && current.size() > 0 && data.consumeBoolean()) {
            JsonNode child = current.isObject() ? current.get(pick(data, fieldNames(current)))
                    : current.get(data.consumeInt(0, current.size() - 1));
            if (child == null || !child.isContainerNode()) {
                break;
            }
            current = child;
        }
        return current;
    }

    private JsonNode arbitrary(FuzzedDataProvider data, int depth) {
        int kind = data.consumeInt(0, depth > 0 ? 11 : 9);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(data.consumeBoolean());
            case 2 -> NODES.numberNode(data.consumeInt());
            case 3 -> NODES.numberNode(data.consumeLong());
            case 4 -> NODES.numberNode(data.consumeDouble());
            case 5 -> {
                byte[] magnitude = data.consumeBytes(20);
                yield NODES.numberNode(magnitude.length == 0 ? BigInteger.ZERO : new BigInteger(magnitude));
            }
            case 6 -> NODES.numberNode(new BigDecimal(BigInteger.valueOf(data.consumeLong()), data.consumeInt(-400, 400)));
            case 7 -> NODES.textNode(data.consumeString(40));
            case 8, 9 -> NODES.textNode(pick(data, texts));
            case 10 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    array.add(arbitrary(data, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    object.set(data.consumeBoolean() ? pick(data, names) : data.consumeString(10), arbitrary(data, depth - 1));
                }
                yield object;
            }
        };
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static <T> T pick(FuzzedDataProvider data, List<T> from) {
        return from.get(data.consumeInt(0, from.size() - 1));
    }

    private static void collect(JsonNode node, Set<String> names, Set<String> texts) {
        if (node.isObject()) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                names.add(name);
                collect(node.get(name), names, texts);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, names, texts));
        } else if (node.isTextual() && node.asText().length() < 100) {
            texts.add(node.asText());
        }
    }
}
