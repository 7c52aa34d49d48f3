package io.backuphub.provider;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;

/**
 * The providers bound in the registry and the connections configured for them: every
 * {@code hub.sources.<name>.provider=<id>}, and for each provider id a legacy block {@code hub.<id>.*} (with at least
 * its {@code enabled} key) as the connection named like the provider. Bound in the registry as {@link #BEAN}.
 */
public final class Connections {

    public static final String BEAN = "hubConnections";
    private static final String SOURCES = "hub.sources.";
    private static final String PROVIDER = ".provider";
    /** Settings every connection has, with the defaults a provider's {@link Provider#settings()} may override. */
    private static final Map<String, String> COMMON = Map.of(
            "schedule", "0 0/5 * * * ?",
            "requests-per-hour", "3600",
            "budget-period-seconds", "3600",
            "min-schedule-interval-seconds", "0");

    /** The credential properties of every connection read in this JVM, for messages that have no context at hand. */
    private static final Map<String, String> CREDENTIAL_HINTS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<String, Provider> providers;
    private final Map<String, Connection> connections;

    private Connections(Map<String, Provider> providers, Map<String, Connection> connections) {
        this.providers = providers;
        this.connections = connections;
    }

    /** The hub's connections (read once, then kept in the registry). */
    public static synchronized Connections of(CamelContext context) {
        Connections bound = context.getRegistry().lookupByNameAndType(BEAN, Connections.class);
        if (bound == null) {
            bound = read(context);
            context.getRegistry().bind(BEAN, bound);
        }
        return bound;
    }

    static Connections read(CamelContext context) {
        Map<String, Provider> providers = new LinkedHashMap<>();
        context.getRegistry().findByType(Provider.class).stream()
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .forEach(p -> providers.put(p.id(), p));
        TreeSet<String> names = names(context.getPropertiesComponent().loadProperties(), System.getenv());
        Map<String, Connection> connections = new LinkedHashMap<>();
        for (Provider provider : providers.values()) {
            String legacy = "hub." + provider.id() + ".";
            if (!names.contains(provider.id()) && resolve(context, legacy + "enabled").isPresent()) {
                connections.put(provider.id(), connection(context, provider.id(), provider, legacy));
            }
        }
        for (String name : names) {
            String prefix = SOURCES + name + ".";
            String id = resolve(context, prefix + "provider").orElse("").trim();
            Provider provider = providers.get(id);
            if (provider == null) {
                throw new IllegalArgumentException(prefix + "provider = '" + id + "' is not a provider of this hub "
                        + "(known: " + String.join(", ", providers.keySet()) + ")");
            }
            connections.put(name, connection(context, name, provider, prefix));
        }
        return new Connections(providers, connections);
    }

    /**
     * The connection names: every {@code hub.sources.<name>.provider} property, and every environment variable
     * {@code HUB_SOURCES_<NAME>_PROVIDER} (a container configured by its environment alone), whose name is read in
     * lower case with dashes for underscores ({@code HUB_SOURCES_ACME_C66_PROVIDER} is {@code acme-c66}, whose keys
     * Camel then finds as {@code HUB_SOURCES_ACME_C66_TOKEN} and so on).
     */
    static TreeSet<String> names(Properties properties, Map<String, String> environment) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(SOURCES) && key.endsWith(PROVIDER)) {
                names.add(key.substring(SOURCES.length(), key.length() - PROVIDER.length()));
            }
        }
        Set<String> named = names.stream().map(name -> ConnectionRoutes.envName(SOURCES + name + PROVIDER))
                .collect(Collectors.toSet());
        String envPrefix = ConnectionRoutes.envName(SOURCES);
        String envSuffix = ConnectionRoutes.envName(PROVIDER);
        for (String variable : environment.keySet()) {
            if (variable.startsWith(envPrefix) && variable.endsWith(envSuffix)
                    && variable.length() > envPrefix.length() + envSuffix.length() && !named.contains(variable)) {
                names.add(variable.substring(envPrefix.length(), variable.length() - envSuffix.length())
                        .toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
        }
        return names;
    }

    private static Connection connection(CamelContext context, String name, Provider provider, String prefix) {
        Map<String, String> settings = new LinkedHashMap<>(COMMON);
        settings.putAll(provider.settings());
        settings.replaceAll((key, fallback) -> resolve(context, prefix + key).map(String::trim).orElse(fallback));
        List<List<String>> ways = provider.signIns().stream()
                .map(way -> way.stream().map(key -> prefix + key).toList()).toList();
        List<List<String>> missing = new ArrayList<>();
        for (List<String> way : ways) {
            List<String> unset = way.stream()
                    .filter(property -> resolve(context, property).map(String::isBlank).orElse(true)).toList();
            if (unset.isEmpty()) {
                missing.clear();
                break;
            }
            missing.add(unset);
        }
        CREDENTIAL_HINTS.put(name, hint(ways, ""));
        String customer = resolve(context, prefix + "customer").map(String::trim).orElse("default");
        boolean enabled = "true".equalsIgnoreCase(resolve(context, prefix + "enabled").orElse("true").trim());
        return new Connection(name, provider.id(), prefix, customer, Map.copyOf(settings), List.copyOf(missing), enabled);
    }

    private static Optional<String> resolve(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key);
    }

    public Collection<Provider> providers() {
        return providers.values();
    }

    public Optional<Provider> provider(String id) {
        return Optional.ofNullable(providers.get(id));
    }

    /** Every configured connection, on or off. */
    public Collection<Connection> all() {
        return connections.values();
    }

    /** The connections that poll on this hub. */
    public List<Connection> on() {
        return connections.values().stream().filter(Connection::on).toList();
    }

    public Optional<Connection> find(String name) {
        return Optional.ofNullable(connections.get(name));
    }

    public Connection connection(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no connection " + name + " on this hub"));
    }

    /** The connection a provider route works for ({@link Connection#PROPERTY}). */
    public static Connection current(org.apache.camel.Exchange exchange) {
        String name = exchange.getProperty(Connection.PROPERTY, String.class);
        if (name == null) {
            throw new IllegalStateException("exchange " + exchange.getExchangeId() + " runs for no connection");
        }
        return of(exchange.getContext()).connection(name);
    }

    /** The provider of a connection. */
    public Provider providerOf(Connection connection) {
        return providers.get(connection.provider());
    }

    /** Sign-ins as an operator sets them: {@code a and b (<label>A, B), or c (<label>C)}. */
    static String hint(List<List<String>> ways, String label) {
        return String.join(", or ", ways.stream().map(way -> String.join(" and ", way) + " (" + label
                + String.join(", ", way.stream().map(ConnectionRoutes::envName).toList()) + ")").toList());
    }

    /** Which properties hold a connection's credentials ({@code hub.sources.<c>.token (HUB_SOURCES_<C>_TOKEN)}). */
    public static String credentialHint(String connection) {
        return CREDENTIAL_HINTS.getOrDefault(connection, "hub.sources." + connection + ".* credentials");
    }

    /** A connection's property, by the connection's name (legacy or {@code hub.sources.}), or the common default. */
    public static String property(CamelContext context, String connection, String key) {
        return of(context).find(connection).map(c -> c.property(key)).orElse("hub." + connection + "." + key);
    }
}
