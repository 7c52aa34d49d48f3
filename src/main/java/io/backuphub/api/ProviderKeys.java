package io.backuphub.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.backuphub.api.model.BackupDefinition;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import io.backuphub.provider.Provider;
import io.backuphub.schedule.Frequency;

/**
 * The provider keys a registration carries as extra {@code backup_instance[...]} fields (the definition's provider's
 * {@link Provider#registrationFields()}), turned by the provider into the same source key, keys and name that
 * ingestion derives from its backups, so the backups found later attach to the registered instance.
 */
public final class ProviderKeys {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}");
    private static final String FIELD = "backup_instance[%s]";
    /** The form field that names the connection when the customer has several of the provider. */
    public static final String SOURCE_FIELD = "backup_instance[source]";

    private ProviderKeys() {
    }

    /** The provider of a definition, or a 422 when no provider of this hub offers it. */
    public static Provider provider(Connections connections, BackupDefinition definition) {
        return connections.provider(definition.provider()).orElseThrow(() -> ApiException.unprocessable(
                "unknown_definition", "backup_definition '" + definition.id() + "' cannot be registered through the API"));
    }

    public static Registration registration(long customerId, BackupDefinition definition, Frequency frequency,
                                            RequestFields fields, Provider provider, String connection) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Provider.RegistrationField field : provider.registrationFields()) {
            Optional<String> value = field.required() ? Optional.of(key(fields, field.name()))
                    : fields.get(field(field.name()));
            value.ifPresent(v -> values.put(field.name(), v));
        }
        Provider.Registered registered;
        try {
            registered = provider.register(definition.id(), values);
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("invalid_field", e.getMessage());
        }
        return new Registration(customerId, definition.id(), provider.id(), frequency, registered.sourceKey(),
                registered.keys(), registered.name(), connection);
    }

    /**
     * The connection a registration goes to: the provider's connection owned by the customer, or the one the field
     * {@link #SOURCE_FIELD} names when the customer has several. Empty when the customer has none.
     */
    public static Optional<Connection> connection(Connections connections, Provider provider, String customer,
                                                  RequestFields fields) {
        List<Connection> owned = connections.all().stream()
                .filter(c -> c.provider().equals(provider.id()) && c.customer().equals(customer))
                .toList();
        Optional<String> named = fields.get(SOURCE_FIELD).map(String::trim).filter(s -> !s.isEmpty());
        if (named.isPresent()) {
            return owned.stream().filter(c -> c.name().equals(named.get())).findFirst()
                    .or(() -> {
                        throw ApiException.unprocessable("unknown_source", SOURCE_FIELD + " '" + named.get()
                                + "' is not a " + provider.id() + " connection of this customer");
                    });
        }
        if (owned.size() > 1) {
            throw ApiException.unprocessable("source_required", "the customer has " + owned.size() + " "
                    + provider.id() + " connections (" + String.join(", ", owned.stream().map(Connection::name).toList())
                    + "): " + SOURCE_FIELD + " must name one");
        }
        return owned.stream().findFirst();
    }

    /** The customers that own a connection of the provider, for a registration under another customer. */
    public static List<String> owners(Connections connections, Provider provider) {
        return connections.all().stream().filter(c -> c.provider().equals(provider.id()))
                .map(Connection::customer).distinct().toList();
    }

    private static String key(RequestFields fields, String name) {
        String value = fields.get(field(name)).orElseThrow(() -> ApiException.unprocessable("missing_field",
                field(name) + " is required for this backup_definition"));
        if (!KEY.matcher(value).matches()) {
            throw ApiException.unprocessable("invalid_field", field(name) + " '" + value + "' is not a provider key "
                    + "(letters, digits, '_', '.', ':' and '-', at most 200)");
        }
        return value;
    }

    private static String field(String name) {
        return FIELD.formatted(name);
    }
}
