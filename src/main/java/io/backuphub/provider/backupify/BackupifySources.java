package io.backuphub.provider.backupify;

import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the routes of every Backupify connection ({@code hub.sources.<name>.provider = backupify}) that is on: not
 * {@code enabled = false}, and with a token or an OAuth client. A connection left off says which properties turn it on.
 */
public class BackupifySources extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(BackupifySources.class);
    private static final Pattern PROVIDER_KEY = Pattern.compile("hub\\.sources\\.([A-Za-z0-9][A-Za-z0-9_]{0,29})\\.provider");

    @Override
    public void configure() throws Exception {
        for (String name : connections(getContext().getPropertiesComponent())) {
            BackupifyConnection connection = BackupifyConnection.of(getContext(), name);
            String prefix = BackupifyConnection.prefix(name);
            String enabled = getContext().getPropertiesComponent().resolveProperty(prefix + "enabled").orElse("true").trim();
            if (!"true".equalsIgnoreCase(enabled)) {
                LOG.info("source={} is off: {}enabled={}", name, prefix, enabled);
                continue;
            }
            if (!connection.hasCredentials()) {
                LOG.warn("source={} is off: no credentials. Set {}token, or {}client-id and {}client-secret", name,
                        prefix, prefix, prefix);
                continue;
            }
            budgetDefaults(name);
            LOG.info("source={} is on (backupify), polling on cron '{}' from {}", name, connection.schedule(),
                    connection.baseUrl());
            getContext().addRoutes(new BackupifyRoutes(connection));
        }
    }

    /** The names of the Backupify connections configured. */
    static List<String> connections(PropertiesComponent properties) {
        Properties all = properties.loadProperties(key -> key.startsWith("hub.sources."));
        TreeSet<String> names = new TreeSet<>();
        for (String key : all.stringPropertyNames()) {
            Matcher m = PROVIDER_KEY.matcher(key);
            if (m.matches() && BackupifyConnection.PROVIDER.equalsIgnoreCase(
                    properties.resolveProperty(key).orElse("").trim())) {
                names.add(m.group(1));
            }
        }
        return List.copyOf(names);
    }

    /** The request budget of the connection's account, read where the shared budget looks for it. */
    private void budgetDefaults(String name) {
        PropertiesComponent properties = getContext().getPropertiesComponent();
        String prefix = BackupifyConnection.prefix(name);
        properties.addInitialProperty("hub." + name + ".requests-per-hour",
                properties.resolveProperty(prefix + "requests-per-hour").orElse("3600"));
        properties.addInitialProperty("hub." + name + ".budget-period-seconds",
                properties.resolveProperty(prefix + "budget-period-seconds").orElse("3600"));
    }
}
