package io.backuphub.provider;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;

/**
 * One provider account the hub polls, owned by one customer: {@code hub.sources.<name>.*} (or a legacy block
 * {@code hub.<name>.*} whose name is a provider id). Its name is the "source" of sync history, cursors, rejects,
 * health, JMX, metrics, budget and breaker, and of the catalog rows it ingests.
 *
 * @param name     the connection's name, also the prefix of its route ids and endpoints
 * @param provider the {@link Provider#id()} it is an account of
 * @param prefix   where its properties are read: {@code hub.sources.<name>.} or {@code hub.<name>.}
 * @param customer the customer (external id) whose account it is
 * @param settings the provider's settings with this connection's values (defaults applied); never secrets
 * @param missing  per sign-in of the provider, the properties of it that are not set; empty when one sign-in is
 *                 complete (the connection is off while it is not)
 * @param enabled  {@code <prefix>enabled}
 */
public record Connection(String name, String provider, String prefix, String customer, Map<String, String> settings,
                         List<List<String>> missing, boolean enabled) {

    /** Exchange property with the name of the connection a provider route works for. */
    public static final String PROPERTY = "hubConnection";

    /** Whether the hub polls it: enabled and one sign-in complete. */
    public boolean on() {
        return enabled && missing.isEmpty();
    }

    /** What to set to turn it on: {@code hub.sources.c.token (environment: HUB_SOURCES_C_TOKEN)}, or-ed per sign-in. */
    public String missingHint() {
        return Connections.hint(missing, "environment: ");
    }

    /** The full property name of one of its keys ({@code hub.sources.<name>.token}). */
    public String property(String key) {
        return prefix + key;
    }

    /** A setting of this connection. */
    public String setting(String key) {
        String value = settings.get(key);
        if (value == null) {
            throw new IllegalArgumentException(name + " has no setting " + key);
        }
        return value;
    }

    /** A credential, read when it is needed: never keep it in a route definition, an endpoint URI or a log. */
    public String credential(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(property(key)).orElse("");
    }
}
