package io.backuphub.api;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * The request's own URL as clients reach the hub, remembered when the request arrives (later steps may call
 * providers and lose the request headers): base from {@code hub.api.public-url} when set (behind a proxy),
 * otherwise from the URL the request was made to; path and raw query as received.
 */
public final class ApiUrls {

    private static final String BASE = "backupHubApiBase";
    private static final String PATH = "backupHubApiPath";
    private static final String QUERY = "backupHubApiQuery";
    /** hub.api.public-url of each running hub, resolved once: it is read on every request. */
    private static final Map<CamelContext, String> PUBLIC_URLS = Collections.synchronizedMap(new WeakHashMap<>());
    /** The bases of the request URLs seen (scheme and authority), by the URL's start: parsed once, not per request. */
    private static final Map<String, String> BASES = new ConcurrentHashMap<>();
    private static final int MAX_BASES = 100;

    private ApiUrls() {
    }

    public static void remember(Exchange exchange) {
        exchange.setProperty(BASE, computeBase(exchange));
        exchange.setProperty(PATH, exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class));
        exchange.setProperty(QUERY, exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class));
    }

    /** Scheme, host and port of the hub ({@code http://host:8080}). */
    public static String base(Exchange exchange) {
        String base = exchange.getProperty(BASE, String.class);
        return base != null ? base : computeBase(exchange);
    }

    /** Base and path of the request, without the query. */
    public static String requestUrl(Exchange exchange) {
        return base(exchange) + exchange.getProperty(PATH, "", String.class);
    }

    public static String rawQuery(Exchange exchange) {
        return exchange.getProperty(QUERY, String.class);
    }

    private static String computeBase(Exchange exchange) {
        String configured = PUBLIC_URLS.computeIfAbsent(exchange.getContext(), context -> context
                .getPropertiesComponent().resolveProperty("hub.api.public-url").orElse("").trim());
        if (!configured.isEmpty()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        // the URL the request was made to (Host header in HTTP/1.1, :authority in HTTP/2)
        String url = exchange.getMessage().getHeader(Exchange.HTTP_URL, String.class);
        String base = url == null ? null : BASES.get(origin(url));
        if (base == null) {
            base = parseBase(url);
            if (base != null) {
                if (BASES.size() >= MAX_BASES) {
                    // the Host header is the client's: keep a few, not every one ever sent
                    BASES.clear();
                }
                BASES.put(origin(url), base);
            }
        }
        return base != null ? base
                : "http://localhost:" + exchange.getContext().resolvePropertyPlaceholders("{{hub.api.port}}");
    }

    /** Scheme and authority of a request URL, or null when it has none. */
    private static String parseBase(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(origin(url));
            if (uri.getScheme() != null && uri.getRawAuthority() != null) {
                return uri.getScheme() + "://" + uri.getRawAuthority();
            }
        } catch (IllegalArgumentException e) {
            // an unparseable request URL: fall back to the configured port
        }
        return null;
    }

    /** The URL up to its path, query or fragment: what the base is made of. */
    private static String origin(String url) {
        int authority = url.indexOf("://");
        if (authority < 0) {
            return url;
        }
        for (int i = authority + 3; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return url.substring(0, i);
            }
        }
        return url;
    }
}
