package io.backuphub.catalog;

import java.util.Locale;
import java.util.Map;

/** Content types of backup records, from their file names (providers do not send them). */
public final class ContentTypes {

    private static final Map<String, String> BY_EXTENSION = Map.of(
            "tar", "application/x-tar",
            "gz", "application/gzip",
            "tgz", "application/gzip",
            "zip", "application/zip",
            "sql", "application/sql",
            "json", "application/json",
            "bson", "application/bson",
            "qcow2", "application/x-qemu-disk",
            "raw", "application/octet-stream");

    private ContentTypes() {
    }

    public static String forName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return "application/octet-stream";
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }
}
