package io.backuphub.ops;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The sources this hub polls: each has a {@code <source>-poll} route (its schedule) and a
 * {@code <source>-sync} route (the sync itself). A source left off at start-up has neither.
 */
public final class HubSources {

    private static final String POLL = "-poll";

    private HubSources() {
    }

    public static List<String> enabled(CamelContext context) {
        return context.getRoutes().stream()
                .map(Route::getRouteId)
                .filter(id -> id.endsWith(POLL))
                .map(id -> id.substring(0, id.length() - POLL.length()))
                .filter(source -> context.getRoute(syncRoute(source)) != null)
                .sorted()
                .toList();
    }

    public static String pollRoute(String source) {
        return source + POLL;
    }

    public static String syncRoute(String source) {
        return source + "-sync";
    }

    public static String syncEndpoint(String source) {
        return "direct:" + syncRoute(source);
    }
}
