package io.backuphub.provider.cloud66;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A Cloud66 backup task to create or change: {@code POST /stacks/:stack_id/backups} with the database type and
 * a five-field cron. The body of {@code direct:cloud66-backup-task}.
 */
public record Cloud66BackupTask(String stackUid, String dbType, String frequency) implements Cloud66Form {

    @Override
    public String path() {
        return "/stacks/" + URLEncoder.encode(stackUid, StandardCharsets.UTF_8) + "/backups";
    }

    @Override
    public String form() {
        return "db_type=" + URLEncoder.encode(dbType, StandardCharsets.UTF_8)
                + "&frequency=" + URLEncoder.encode(frequency, StandardCharsets.UTF_8);
    }
}
