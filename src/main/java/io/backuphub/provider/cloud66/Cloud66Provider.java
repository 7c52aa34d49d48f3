package io.backuphub.provider.cloud66;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.backuphub.provider.Provider;
import org.apache.camel.RoutesBuilder;

/**
 * Cloud66 (API v3) as a provider of the hub: database backups of stacks, polled with an API token; Cloud66 also
 * runs backups on a schedule of its own (a database's backup task) and imports an export as an external backup.
 */
public class Cloud66Provider implements Provider, Provider.ProviderSchedule, Provider.ExportRestorer {

    public static final String ID = Cloud66BackupMapper.SOURCE;
    private static final List<String> DB_TYPES = List.of("mysql", "postgresql", "redis", "mongodb");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> credentialKeys() {
        return List.of("token");
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("base-url", "https://app.cloud66.com/api/3");
        settings.put("stacks", "");
        settings.put("schedule", "0 0/5 * * * ?");
        settings.put("full-walk-interval-hours", "6");
        settings.put("quiet-pages", "2");
        settings.put("requests-per-hour", "2700");
        settings.put("min-schedule-interval-seconds", "900");
        settings.put("download-hosts", "*.s3.amazonaws.com,s3.amazonaws.com,*.s3.*.amazonaws.com,*.s3-*.amazonaws.com");
        return settings;
    }

    @Override
    public RoutesBuilder templates() {
        return new Cloud66Routes();
    }

    @Override
    public List<String> templateIds() {
        return Stream.of("budget", "http", "files", "ingest", "stack", "stacks", "configured-stacks", "choose-stacks",
                "sync", "instance-sync", "object-check", "post-task", "backup-task", "post-import", "import",
                "open-record", "poll").map(name -> ID + "-" + name).toList();
    }

    @Override
    public List<Definition> definitions() {
        return DB_TYPES.stream().map(type -> new Definition(ID + "-" + type, "Cloud66 " + type,
                "Cloud66 " + type + " backups from " + ID)).toList();
    }

    @Override
    public Set<String> copyableEndpoints() {
        return Set.of(Cloud66BackupMapper.FILES_ENDPOINT);
    }

    @Override
    public List<RegistrationField> registrationFields() {
        return List.of(new RegistrationField("stack_uid", true, "the stack's uid"),
                new RegistrationField("database_name", true, "the database's name on the stack"),
                new RegistrationField("stack_name", false, "the stack's name (default: its uid)"));
    }

    @Override
    public Registered register(String definitionId, Map<String, String> fields) {
        String stack = fields.get("stack_uid");
        String database = fields.get("database_name");
        String stackName = fields.getOrDefault("stack_name", stack);
        String dbType = definitionId.substring((ID + "-").length());
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("stack_uid", stack);
        keys.put("stack_name", stackName);
        keys.put("db_type", dbType);
        keys.put("database_name", database);
        return new Registered(stack + "/" + dbType + "/" + database, keys, stackName + " " + database + " (" + dbType + ")");
    }

    @Override
    public String notFound(Registered registered) {
        return ID + " has no stack '" + registered.keys().get("stack_uid") + "' (or the token does not see it)";
    }
}
