package io.backuphub.api;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.ExportRestore;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.provider.Connections;
import io.backuphub.provider.Provider;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * {@code POST /v1/backup_instances/{id}/exports/{export_id}/restore}: hands a completed export to an instance of the
 * same caller ({@code restore[backup_instance_id]}) whose provider can restore it ({@link Provider.ExportRestorer}),
 * with the option {@code restore[group]} (the backup group to import it into). The provider downloads it through a
 * freshly signed link of the hub, from {@code direct:<connection>-restore-export}.
 */
public class ExportRestoresApi {

    private static final String TARGET = "restore[backup_instance_id]";
    private static final String GROUP = "restore[group]";
    private static final String PENDING = "backupHubPendingRestore";
    /** Exchange property with the endpoint that restores into the target's connection. */
    static final String RESTORE_ENDPOINT = "backupHubRestoreEndpoint";

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

    /** Checks the request and answers what to send to the target's {@code direct:<connection>-restore-export}. */
    public Provider.ExportRestorer.ExportRestore prepare(Exchange exchange, @ExchangeProperty(Caller.PROPERTY) Caller caller,
                                 @Header("backup_instance_id") String id, @Header("export_id") String exportId) {
        BackupInstance source = access.instance(caller, id);
        long export = Params.id("export_id", exportId);
        ExportRow row = queries.export(source.id(), export).orElseThrow(() -> ApiException.notFound("export "
                + export + " of backup_instance " + source.id() + " not found"));
        RequestFields fields = RequestFields.of(exchange, json);
        BackupInstance target = access.instance(caller, fields.required(TARGET));
        Connections connections = Connections.of(exchange.getContext());
        boolean restores = connections.provider(target.provider())
                .filter(p -> p instanceof Provider.ExportRestorer).isPresent();
        if (!restores) {
            throw ApiException.unprocessable("unsupported_target", TARGET + ": backup_instance " + target.id()
                    + " is a " + target.provider() + " instance; its provider cannot restore an export");
        }
        int group = group(fields.required(GROUP));
        InstanceSource instance = exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class)
                .instanceSource(target.id()).orElseThrow();
        String dbType = target.source().get("db_type");
        if (!ExportStatus.COMPLETED.wireName().equals(row.status())) {
            throw ApiException.conflict("export_not_ready", "export " + export + " is " + row.status()
                    + "; only a completed export can be restored");
        }
        ApiAccess.requireSourceOn(exchange, instance.source());
        exchange.setProperty(PENDING, new ExportRestore(export, source.id(), target.id(), target.provider(), group,
                dbType, "queued", null));
        exchange.setProperty(RESTORE_ENDPOINT, "direct:" + instance.source() + "-restore-export");
        String link = links.url(ApiUrls.base(exchange), source.id(), export, clock.instant().plus(linkTtl));
        return new Provider.ExportRestorer.ExportRestore(instance, link, java.util.Map.of("group", Integer.toString(group)));
    }

    /** 202: the provider has queued the restore; it downloads the archive on its own time. */
    public ExportRestore accepted(Exchange exchange, @ExchangeProperty(PENDING) ExportRestore pending,
                                  @ExchangeProperty(Provider.ExportRestorer.MESSAGE) String message) {
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
                + "' is not a backup group (a positive whole number)");
    }
}
