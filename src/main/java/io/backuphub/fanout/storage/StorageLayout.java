package io.backuphub.fanout.storage;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Where a record lives in every storage target: {@code <customer>/<instance id>/<backup id>/<record name>},
 * each segment made safe whatever the provider sends (no path traversal, separators or control
 * characters), so a hostile name always stays inside its backup's folder.
 */
public final class StorageLayout {

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._+@=-]");
    private static final int MAX_SEGMENT = 200;

    private StorageLayout() {
    }

    /** The key of a record relative to a target's root, with '/' between segments. */
    public static String recordKey(String customer, long instanceId, long backupId, String recordName) {
        return safeSegment(customer) + "/" + instanceId + "/" + backupId + "/" + safeSegment(recordName);
    }

    /**
     * One path segment: Unicode normalised, anything outside a conservative set replaced by '_', never
     * empty, never "." or "..", never starting with a dot, and at most 200 characters.
     */
    public static String safeSegment(String name) {
        String normal = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFKC);
        String safe = UNSAFE.matcher(normal).replaceAll("_");
        while (safe.startsWith(".")) {
            safe = "_" + safe.substring(1);
        }
        if (safe.isEmpty()) {
            safe = "_";
        }
        if (safe.length() > MAX_SEGMENT) {
            safe = safe.substring(0, MAX_SEGMENT);
        }
        return safe;
    }
}
