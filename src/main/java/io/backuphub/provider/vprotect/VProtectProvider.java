package io.backuphub.provider.vprotect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.backuphub.provider.Connection;
import io.backuphub.provider.Provider;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.hc.client5.http.cookie.BasicCookieStore;

/**
 * Storware vProtect (Backups Controller API) as a provider of the hub: VM and application backups of protected
 * entities, polled incrementally with a login session.
 */
public class VProtectProvider implements Provider {

    public static final String ID = VProtectBackupMapper.SOURCE;
    private static final List<String> ENTITY_TYPES = List.of("app", "cloud", "cloud_group", "cloud_site",
            "cloud_teams", "cloud_user", "os", "os_agent", "storage", "vm");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> credentialKeys() {
        return List.of("username", "password");
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("base-url", "https://localhost:8181/api");
        settings.put("schedule", "30 0/5 * * * ?");
        settings.put("page-size", "1000");
        settings.put("cursor-overlap-ms", "300000");
        settings.put("reject-retries", "3");
        settings.put("requests-per-hour", "36000");
        settings.put("min-schedule-interval-seconds", "300");
        settings.put("acknowledge-warnings", "false");
        return settings;
    }

    /** The connection's login session: one cookie store, used by its budget route's HTTP endpoint. */
    @Override
    public void open(CamelContext context, Connection connection) {
        context.getRegistry().bind(connection.name() + "CookieStore", new BasicCookieStore());
    }

    @Override
    public RoutesBuilder templates() {
        return new VProtectRoutes();
    }

    @Override
    public List<String> templateIds() {
        return Stream.of("budget", "http", "login", "ingest", "list", "backups", "sync", "instance-sync",
                "object-check", "open-record", "acknowledge-warnings", "poll").map(name -> ID + "-" + name).toList();
    }

    @Override
    public List<Definition> definitions() {
        return ENTITY_TYPES.stream().map(type -> new Definition(ID + "-" + type,
                "vProtect " + type.toUpperCase(Locale.ROOT), "vProtect " + type.toUpperCase(Locale.ROOT)
                + " backups from " + ID)).toList();
    }

    @Override
    public Set<String> copyableEndpoints() {
        return Set.of(VProtectBackupMapper.MANIFEST_ENDPOINT);
    }

    @Override
    public List<RegistrationField> registrationFields() {
        return List.of(new RegistrationField("protected_entity_guid", true, "the protected entity's guid"),
                new RegistrationField("protected_entity_name", false, "the protected entity's name (default: its guid)"));
    }

    @Override
    public Registered register(String definitionId, Map<String, String> fields) {
        String guid = fields.get("protected_entity_guid");
        String name = fields.getOrDefault("protected_entity_name", guid);
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("protected_entity_guid", guid);
        keys.put("protected_entity_name", name);
        keys.put("protected_entity_type", definitionId.substring((ID + "-").length()).toUpperCase(Locale.ROOT));
        return new Registered(guid, keys, name);
    }

    @Override
    public String notFound(Registered registered) {
        return ID + " has no protected entity '" + registered.keys().get("protected_entity_guid") + "' with backups";
    }
}
