package io.backuphub.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The RFC 8288 {@code Link} header of a page: first, prev, next and last, keeping the request's other parameters. */
public final class LinkHeader {

    private LinkHeader() {
    }

    /**
     * @param base  scheme, host and path of the request ({@code http://host:8080/v1/backup_instances})
     * @param query the request's raw query string, or null
     */
    public static String of(String base, String query, Page<?> page) {
        String others = withoutPaging(query);
        int current = page.request().page();
        long last = page.lastPage();
        List<String> links = new ArrayList<>();
        links.add(link(base, others, 1, page, "first"));
        if (current > 1) {
            links.add(link(base, others, Math.min(current - 1, last), page, "prev"));
        }
        if (current < last) {
            links.add(link(base, others, current + 1, page, "next"));
        }
        links.add(link(base, others, last, page, "last"));
        return String.join(", ", links);
    }

    private static String link(String base, String others, long number, Page<?> page, String rel) {
        return "<" + base + "?" + others + "page=" + number + "&per_page=" + page.request().perPage() + ">; rel=\"" + rel + "\"";
    }

    /** The query's parameters other than page and per_page, each re-encoded, ending with '&' when any. */
    private static String withoutPaging(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : query.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (name.isEmpty() || name.equals("page") || name.equals("per_page")) {
                continue;
            }
            String value = pair.contains("=") ? pair.substring(pair.indexOf('=') + 1) : "";
            kept.append(encode(decode(name))).append('=').append(encode(decode(value))).append('&');
        }
        return kept.toString();
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
