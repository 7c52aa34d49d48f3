package io.backuphub.demo.vprotect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

/**
 * The enums vProtect sends as {@code {"name","description"}} (providers.md 2.6). The descriptions
 * are not published; these are the proposed ones.
 */
final class VProtectEnums {

    static final Map<String, String> STATUS = Map.of(
            "QUEUED", "Queued",
            "INPROGRESS", "In progress",
            "SUCCESS", "Success",
            "PARTIAL_SUCCESS", "Partial success",
            "FAILED", "Failed",
            "SUCCESS_REMOVED", "Success (removed)");

    static final Map<String, String> TYPE = Map.of(
            "FULL", "Full backup",
            "INCREMENTAL", "Incremental backup",
            "SYNCHRONIZATION", "Backup synchronization (primary to secondary backup destination)",
            "SYNTHETIC", "Synthetic backup");

    static final Map<String, String> ENTITY_TYPE = Map.of(
            "APP", "Application",
            "CLOUD", "Cloud",
            "CLOUD_GROUP", "Cloud group",
            "CLOUD_SITE", "Cloud site",
            "CLOUD_TEAMS", "Cloud teams",
            "CLOUD_USER", "Cloud user",
            "OS", "Operating system",
            "OS_AGENT", "OS agent",
            "STORAGE", "Storage",
            "VM", "Virtual machine");

    /** Statuses from which auto-progress and backupTime bookkeeping consider a backup unfinished. */
    static final Set<String> RUNNING = Set.of("QUEUED", "INPROGRESS");

    private VProtectEnums() {
    }

    static String require(Map<String, String> values, String kind, String name) {
        if (name == null || !values.containsKey(name)) {
            throw new IllegalArgumentException("unknown " + kind + ": " + name + " (expected one of "
                    + values.keySet() + ")");
        }
        return name;
    }

    static ObjectNode node(Map<String, String> values, String name) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", name);
        n.put("description", values.get(name));
        return n;
    }
}
