package io.backuphub.provider.backupify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.backuphub.provider.Connection;
import io.backuphub.provider.Provider;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;

/**
 * Backupify v1 as a source: any API shaped like Backupify's v1 (a SaaS backup service of Google Workspace or
 * Microsoft 365 data, or another Backup Hub, which serves the same API) is polled per connection
 * ({@code hub.sources.<name>.provider = backupify}). Settings: {@code base-url} (the upstream's {@code /v1}),
 * {@code client-id} and {@code token-url} (OAuth client credentials; the token URL defaults to {@code /oauth/token}
 * next to {@code /v1}), {@code page-size}; credentials: a static bearer {@code token}, or {@code client-secret} with the
 * client id.
 */
public class BackupifyProvider implements Provider {

    public static final String ID = "backupify";
    public static final String BASE_URL = "base-url";
    public static final String CLIENT_ID = "client-id";
    public static final String TOKEN_URL = "token-url";
    public static final String PAGE_SIZE = "page-size";
    public static final String TOKEN = "token";
    public static final String CLIENT_SECRET = "client-secret";
    /** The registration field naming the upstream's backup_instance. */
    public static final String INSTANCE_FIELD = "backup_instance_id";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> credentialKeys() {
        return List.of(TOKEN, CLIENT_SECRET);
    }

    /** A static bearer token, or OAuth client credentials (the client id is a setting, the secret a credential). */
    @Override
    public List<List<String>> signIns() {
        return List.of(List.of(TOKEN), List.of(CLIENT_ID, CLIENT_SECRET));
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(BASE_URL, "");
        settings.put(CLIENT_ID, "");
        settings.put(TOKEN_URL, "");
        settings.put(PAGE_SIZE, "100");
        return settings;
    }

    /** The connection's account (how it gets its token) is made before its routes. */
    @Override
    public void open(CamelContext context, Connection connection) {
        BackupifyAccount.of(context, connection.name());
    }

    @Override
    public RoutesBuilder templates() {
        return new BackupifyTemplates();
    }

    @Override
    public List<String> templateIds() {
        return BackupifyTemplates.IDS;
    }

    /**
     * The definition of an upstream instance whose definition cannot name one here; the others
     * ({@code backupify-<upstream definition>}) are made as their instances are first ingested.
     */
    @Override
    public List<Definition> definitions() {
        return List.of(new Definition(BackupifyBackupMapper.FIXED_DEFINITION, "Backupify instance",
                "A backup_instance of an upstream Backupify v1 API"));
    }

    /** Every record the upstream serves has a blob, whatever its endpoint (the upstream may speak to any provider). */
    @Override
    public Set<String> copyableEndpoints() {
        return Set.of(EVERY_ENDPOINT);
    }

    @Override
    public List<RegistrationField> registrationFields() {
        return List.of(new RegistrationField(INSTANCE_FIELD, true, "the upstream's backup_instance id"),
                new RegistrationField("name", false, "the instance's name here (default: the upstream id)"));
    }

    @Override
    public Registered register(String definitionId, Map<String, String> fields) {
        String id = fields.get(INSTANCE_FIELD);
        if (id == null || !id.matches("[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException(INSTANCE_FIELD + " must be the upstream's backup_instance id (a positive"
                    + " whole number)");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("backup_instance_id", id);
        keys.put("backup_definition_id", definitionId.equals(BackupifyBackupMapper.FIXED_DEFINITION) ? ""
                : definitionId.substring((ID + "-").length()));
        String name = fields.get("name");
        return new Registered(id, keys, name == null || name.isBlank() ? "backup_instance " + id : name);
    }

    @Override
    public String notFound(Registered registered) {
        return "the upstream has no backup_instance '" + registered.sourceKey() + "' (or the credentials do not see it)";
    }
}
