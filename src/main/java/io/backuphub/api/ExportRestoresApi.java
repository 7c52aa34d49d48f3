package io.backuphub.api;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.ExportRestore;
import io.backuphub.provider.cloud66.Cloud66Import;
import io.backuphub.provider.cloud66.Cloud66ImportRoute;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * {@code POST /v1/backup_instances/{id}/exports/{export_id}/restore}: hands a completed export to a Cloud66
 * database of the same caller as an external backup to import ({@code restore[backup_instance_id]}, into the
 * backup group {@code restore[group]}). Cloud66 downloads it through a freshly signed link of the hub.
 */
public class ExportRestoresApi {

    private static final String TARGET = "restore[backup_instance_id]";
    private static final String GROUP = "restore[group]";
    private static final String PENDING = "backupHubPendingRestore";

    private final CatalogQueries queries;
    private final ApiAccess access;
    private final ExportLinks links;
    private final ObjectMapper json;
    private final Duration linkTtl;
    private final Clock clock;

    public ExportRestoresApi(CatalogQueries queries, ApiAccess access, ExportLinks links, ObjectMapper json,
                             Duration linkTtl, Clock clock) {
        this.queries = queries;
        this.access = access;
        this.links = links;
        this.json = json;
        this.linkTtl = linkTtl;
        this.clock = clock;
    }

    /** Checks the request and answers what to send to Cloud66 (the body of {@code direct:cloud66-import}). */
    public Cloud66Import prepare(Exchange exchange, @ExchangeProperty(Caller.PROPERTY) Caller caller,
                                 @Header("backup_instance_id") String id, @Header("export_id") String exportId) {
        BackupInstance source = access.instance(caller, id);
        long export = Params.id("export_id", exportId);
        ExportRow row = queries.export(source.id(), export).orElseThrow(() -> ApiException.notFound("export "
                + export + " of backup_instance " + source.id() + " not found"));
        RequestFields fields = RequestFields.of(exchange, json);
        BackupInstance target = access.instance(caller, fields.required(TARGET));
        if (!"cloud66".equals(target.provider())) {
            throw ApiException.unprocessable("unsupported_target", TARGET + ": backup_instance " + target.id()
                    + " is a " + target.provider() + " instance; an export can be restored into a Cloud66 database");
        }
        int group = group(fields.required(GROUP));
        String stack = target.source().get("stack_uid");
        String dbType = target.source().get("db_type");
        if (stack == null || dbType == null) {
            throw ApiException.unprocessable("unsupported_target", TARGET + ": backup_instance " + target.id()
                    + " has no Cloud66 stack_uid and db_type");
        }
        if (!ExportStatus.COMPLETED.wireName().equals(row.status())) {
            throw ApiException.conflict("export_not_ready", "export " + export + " is " + row.status()
                    + "; only a completed export can be restored");
        }
        ApiAccess.requireSourceOn(exchange, "cloud66");
        exchange.setProperty(PENDING, new ExportRestore(export, source.id(), target.id(), "cloud66", group, dbType,
                "queued", null));
        String link = links.url(ApiUrls.base(exchange), source.id(), export, clock.instant().plus(linkTtl));
        return new Cloud66Import(stack, dbType, group, link);
    }

    /** 202: Cloud66 has queued the import; it downloads the archive on its own time. */
    public ExportRestore accepted(Exchange exchange, @ExchangeProperty(PENDING) ExportRestore pending,
                                  @ExchangeProperty(Cloud66ImportRoute.MESSAGE) String message) {
        ApiReply.status(exchange, 202);
        return new ExportRestore(pending.exportId(), pending.sourceBackupInstanceId(), pending.backupInstanceId(),
                pending.provider(), pending.group(), pending.dbType(), pending.status(), message);
    }

    private static int group(String value) {
        try {
            int group = Integer.parseInt(value.trim());
            if (group > 0) {
                return group;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.unprocessable("invalid_field", GROUP + ": '" + value
                + "' is not a Cloud66 backup group (a positive whole number)");
    }
}
