package io.backuphub.api;

import io.backuphub.api.model.Backup;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * {@code /v1/backup_instances/{id}/backups...}: the instance's backups, the one running now, and "back up now",
 * which syncs the instance from its provider at once ({@code direct:instance-sync}) and answers with its newest
 * backup.
 */
public class BackupsApi {

    /** Exchange property with the id of the instance being synced (the sync routes replace the headers). */
    private static final String INSTANCE = "backupHubApiInstanceId";

    private final CatalogQueries queries;
    private final ApiAccess access;

    public BackupsApi(CatalogQueries queries, ApiAccess access) {
        this.queries = queries;
        this.access = access;
    }

    /** One statement for a page that has rows: the instance is checked against the caller in the page's query. */
    public Page<Backup> list(@ExchangeProperty(Caller.PROPERTY) Caller caller, @Header("backup_instance_id") String id,
                             @Header("page") String page, @Header("per_page") String perPage) {
        long instanceId = Params.id("backup_instance_id", id);
        PageRequest request;
        try {
            request = PageRequest.of(page, perPage);
        } catch (ApiException e) {
            // an instance the caller does not see is a 404 before its paging is looked at
            access.instance(caller, id);
            throw e;
        }
        return queries.backups(caller, instanceId, request).orElseThrow(() -> ApiAccess.instanceNotFound(instanceId));
    }

    public Backup get(@ExchangeProperty(Caller.PROPERTY) Caller caller, @Header("backup_instance_id") String id,
                      @Header("backup_id") String backupId) {
        BackupInstance instance = access.instance(caller, id);
        long backup = Params.id("backup_id", backupId);
        return queries.backup(instance.id(), backup)
                .orElseThrow(() -> ApiException.notFound("backup " + backup + " of backup_instance " + instance.id()
                        + " not found"));
    }

    public Backup active(@ExchangeProperty(Caller.PROPERTY) Caller caller, @Header("backup_instance_id") String id) {
        BackupInstance instance = access.instance(caller, id);
        return queries.activeBackup(instance.id()).orElseThrow(() -> new ApiException(404, "no_active_backup",
                "no backup of backup_instance " + instance.id() + " is running (queued or in progress) now"));
    }

    /** Before the sync: the instance must be the caller's and its source on; sets {@code hubInstanceId}. */
    public void prepareRun(Exchange exchange) {
        BackupInstance instance = access.instance(exchange.getProperty(Caller.PROPERTY, Caller.class),
                exchange.getMessage().getHeader("backup_instance_id", String.class));
        ApiAccess.requireSourceOn(exchange, exchange.getContext().getRegistry()
                .lookupByNameAndType("catalog", io.backuphub.catalog.Catalog.class).instanceSource(instance.id())
                .map(io.backuphub.catalog.InstanceSource::source).orElse(instance.provider()));
        exchange.setProperty(INSTANCE, instance.id());
        exchange.getMessage().setHeader(InstanceSyncRoute.INSTANCE_ID, instance.id());
    }

    /** After the sync: its failure, or the instance's newest backup (201). */
    public Backup afterRun(Exchange exchange, @ExchangeProperty(INSTANCE) long instanceId) {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run == null || !run.succeeded()) {
            throw ApiException.unavailable("provider_unavailable", "the sync of backup_instance " + instanceId
                    + " failed: " + (run == null ? "it did not run" : run.error()));
        }
        Backup newest = queries.newestBackup(instanceId).orElseThrow(() -> new ApiException(404, "no_backup",
                "the provider has no backup of backup_instance " + instanceId + " yet"));
        ApiReply.status(exchange, 201);
        return newest;
    }
}
