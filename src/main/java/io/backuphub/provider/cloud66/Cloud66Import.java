package io.backuphub.provider.cloud66;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.backuphub.provider.Provider;

/**
 * An external backup for Cloud66 to import into a database's backup group: {@code POST /stacks/:stack_id/backups}
 * with {@code group}, {@code db_type} and {@code remote_url}. Made from the body of {@code direct:<connection>-restore-export}. The URL
 * is a signed link, so it never appears in {@link #toString()} (logs, error messages).
 */
public record Cloud66Import(String stackUid, String dbType, int group, String remoteUrl) implements Cloud66Form {

    /** The import of an export into an instance: its stack and db_type, the group named by the option {@code group}. */
    static Cloud66Import of(Provider.ExportRestorer.ExportRestore restore) {
        String group = restore.options().getOrDefault("group", "");
        return new Cloud66Import(restore.instance().key("stack_uid"), restore.instance().key("db_type"),
                Integer.parseInt(group.trim()), restore.url());
    }

    @Override
    public String path() {
        return "/stacks/" + URLEncoder.encode(stackUid, StandardCharsets.UTF_8) + "/backups";
    }

    @Override
    public String form() {
        return "group=" + group
                + "&db_type=" + URLEncoder.encode(dbType, StandardCharsets.UTF_8)
                + "&remote_url=" + URLEncoder.encode(remoteUrl, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Cloud66Import[stack=" + stackUid + ", db_type=" + dbType + ", group=" + group + "]";
    }
}
