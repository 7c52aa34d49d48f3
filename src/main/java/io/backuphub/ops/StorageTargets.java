package io.backuphub.ops;

import java.util.Arrays;
import java.util.List;

import org.apache.camel.CamelContext;

/** The storage targets of {@code hub.storage.targets}, and how operators see them. */
public final class StorageTargets {

    private StorageTargets() {
    }

    public static List<String> configured(CamelContext context) {
        String targets = context.getPropertiesComponent().resolveProperty("hub.storage.targets").orElse("");
        return Arrays.stream(targets.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    /** A target as shown in health, metrics and logs: its URI without the query, which may hold credentials. */
    public static String label(String target) {
        String trimmed = target.trim();
        int query = trimmed.indexOf('?');
        return query < 0 ? trimmed : trimmed.substring(0, query);
    }
}
