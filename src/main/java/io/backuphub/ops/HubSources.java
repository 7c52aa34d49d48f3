package io.backuphub.ops;

import java.util.List;

import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import org.apache.camel.CamelContext;

/**
 * The sources (connections) this hub polls: each has a {@code <source>-poll} route (its schedule) and a
 * {@code <source>-sync} route (the sync itself). A connection left off at start-up has neither.
 */
public final class HubSources {

    private static final String POLL = "-poll";

    private HubSources() {
    }

    public static List<String> enabled(CamelContext context) {
        return Connections.of(context).all().stream()
                .map(Connection::name)
                .filter(source -> context.getRoute(pollRoute(source)) != null && context.getRoute(syncRoute(source)) != null)
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
