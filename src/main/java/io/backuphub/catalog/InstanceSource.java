package io.backuphub.catalog;

import java.util.Map;

/**
 * Which provider and connection ({@code source}) an instance comes from, and the provider's keys for it (stack and
 * database, entity guid).
 */
public record InstanceSource(long instanceId, String provider, String sourceKey, Map<String, String> keys,
                             String source) {

    /** An instance of the connection named like its provider. */
    public InstanceSource(long instanceId, String provider, String sourceKey, Map<String, String> keys) {
        this(instanceId, provider, sourceKey, keys, provider);
    }

    public String key(String name) {
        String value = keys.get(name);
        if (value == null) {
            throw new IllegalStateException("instance " + instanceId + " has no provider key " + name);
        }
        return value;
    }
}
