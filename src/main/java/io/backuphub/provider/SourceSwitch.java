package io.backuphub.provider;

import java.util.List;
import java.util.Locale;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides at start-up whether a source polls: on when {@code hub.<source>.enabled} is true and its
 * credentials are set. A source left off says which properties turn it on.
 */
public final class SourceSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(SourceSwitch.class);

    private SourceSwitch() {
    }

    public static boolean isOn(CamelContext context, String source, List<String> credentialKeys) {
        String enabled = property(context, "hub." + source + ".enabled");
        if (!"true".equalsIgnoreCase(enabled.trim())) {
            LOG.info("source={} is off: hub.{}.enabled={} (set it to true to poll it)", source, source, enabled);
            return false;
        }
        List<String> missing = credentialKeys.stream().filter(k -> property(context, k).isBlank()).toList();
        if (!missing.isEmpty()) {
            LOG.warn("source={} is off: no credentials. Set {} (environment: {}) to turn it on", source,
                    String.join(" and ", missing), String.join(" and ", missing.stream().map(SourceSwitch::envName).toList()));
            return false;
        }
        LOG.info("source={} is on, polling on cron '{}' from {}", source, property(context, "hub." + source + ".schedule"),
                property(context, "hub." + source + ".base-url"));
        return true;
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("");
    }

    /** The environment variable that overrides a property, as Camel's properties component maps it. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
