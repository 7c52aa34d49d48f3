package io.backuphub.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.backuphub.api.model.BackupDefinition;
import io.backuphub.schedule.Frequency;

/**
 * The provider keys a registration carries as extra {@code backup_instance[...]} fields, turned into the same
 * source key, provider keys and name that ingestion derives from the provider's backups (Cloud66BackupMapper,
 * VProtectBackupMapper), so the backups found later attach to the registered instance.
 */
public final class ProviderKeys {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}");
    private static final String FIELD = "backup_instance[%s]";

    private ProviderKeys() {
    }

    public static Registration registration(long customerId, BackupDefinition definition, Frequency frequency,
                                            RequestFields fields) {
        Map<String, String> source = new LinkedHashMap<>();
        return switch (definition.provider()) {
            case "cloud66" -> {
                String stack = key(fields, "stack_uid");
                String database = key(fields, "database_name");
                String stackName = fields.get(field("stack_name")).orElse(stack);
                String dbType = definition.id().substring("cloud66-".length());
                source.put("stack_uid", stack);
                source.put("stack_name", stackName);
                source.put("db_type", dbType);
                source.put("database_name", database);
                yield new Registration(customerId, definition.id(), "cloud66", frequency,
                        stack + "/" + dbType + "/" + database, source, stackName + " " + database + " (" + dbType + ")");
            }
            case "vprotect" -> {
                String guid = key(fields, "protected_entity_guid");
                String name = fields.get(field("protected_entity_name")).orElse(guid);
                source.put("protected_entity_guid", guid);
                source.put("protected_entity_name", name);
                source.put("protected_entity_type", definition.id().substring("vprotect-".length()).toUpperCase(Locale.ROOT));
                yield new Registration(customerId, definition.id(), "vprotect", frequency, guid, source, name);
            }
            default -> throw ApiException.unprocessable("unknown_definition", "backup_definition '" + definition.id()
                    + "' cannot be registered through the API");
        };
    }

    /**
     * What the provider answers for an object it does not have, for a registration of an object outside the
     * caller's accounts: whether it exists at the provider, under another customer or nowhere, the caller learns
     * the same thing.
     */
    public static String notFound(Registration r) {
        return switch (r.provider()) {
            case "cloud66" -> "cloud66 has no stack '" + r.source().get("stack_uid") + "' (or the token does not see it)";
            case "vprotect" -> "vprotect has no protected entity '" + r.source().get("protected_entity_guid")
                    + "' with backups";
            default -> r.provider() + " has no '" + r.sourceKey() + "'";
        };
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
