package io.backuphub.provider.backupify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The v1 API's paging: {@code page} from 1 and {@code per_page} (at most 100), a bare JSON array, the total in
 * {@code X-Total-Count} and an RFC 8288 {@code Link} header whose {@code rel="next"} is there while pages follow.
 */
public final class BackupifyPaging {

    /** The most items a page of the v1 API holds. */
    public static final int MAX_PER_PAGE = 100;
    private static final Pattern NEXT = Pattern.compile("rel=\"?next\"?");

    private BackupifyPaging() {
    }

    public static List<JsonNode> items(JsonNode page, String what) {
        if (page == null || !page.isArray()) {
            throw new IllegalArgumentException("backupify sent a " + what + " page that is not a JSON array");
        }
        List<JsonNode> items = new ArrayList<>(page.size());
        page.forEach(items::add);
        return items;
    }

    /**
     * The next page number, or null when this page was the last: the Link header decides when there is one, else the
     * total, else whether the page was full. An empty page always ends the list, so a wrong header cannot loop.
     */
    public static Integer next(int current, int perPage, int returned, String link, Long total) {
        if (returned == 0) {
            return null;
        }
        if (link != null && !link.isBlank()) {
            return NEXT.matcher(link).find() ? current + 1 : null;
        }
        if (total != null) {
            return (long) current * perPage < total ? current + 1 : null;
        }
        return returned >= perPage ? current + 1 : null;
    }

    /** A configured page size within what the API accepts. */
    public static int perPage(int configured) {
        return Math.max(1, Math.min(MAX_PER_PAGE, configured));
    }
}
