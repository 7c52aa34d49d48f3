package io.backuphub.provider.cloud66;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An external backup for Cloud66 to import into a database's backup group: {@code POST /stacks/:stack_id/backups}
 * with {@code group}, {@code db_type} and {@code remote_url}. The body of {@code direct:cloud66-import}. The URL
 * is a signed link, so it never appears in {@link #toString()} (logs, error messages).
 */
public record Cloud66Import(String stackUid, String dbType, int group, String remoteUrl) implements Cloud66Form {

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
