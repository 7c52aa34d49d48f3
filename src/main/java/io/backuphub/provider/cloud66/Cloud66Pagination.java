package io.backuphub.provider.cloud66;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Cloud66's list envelope: {@code {"response": [...], "pagination": {"next": n|null, ...}}}, pages from 1.
 */
public final class Cloud66Pagination {

    private Cloud66Pagination() {
    }

    /** The items of a list page; a page without a response array is malformed. */
    public static List<JsonNode> items(JsonNode page) {
        JsonNode response = page.path("response");
        if (!response.isArray()) {
            throw new IllegalArgumentException("cloud66 sent a list page without a response array");
        }
        List<JsonNode> items = new ArrayList<>(response.size());
        response.forEach(items::add);
        return items;
    }

    /** The next page number, or null on the last page (also when the provider's paging does not advance). */
    public static Integer next(JsonNode page) {
        JsonNode pagination = page.path("pagination");
        JsonNode next = pagination.path("next");
        if (!next.canConvertToInt()) {
            return null;
        }
        int current = pagination.path("current").asInt(0);
        return next.asInt() > current ? next.asInt() : null;
    }

    /** The object of a single-object envelope. */
    public static JsonNode object(JsonNode envelope) {
        JsonNode response = envelope.path("response");
        if (!response.isObject()) {
            throw new IllegalArgumentException("cloud66 sent a response without an object");
        }
        return response;
    }
}
