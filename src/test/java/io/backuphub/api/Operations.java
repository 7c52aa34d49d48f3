package io.backuphub.api;

import java.util.List;
import java.util.function.Function;

import io.backuphub.api.client.V1Api;
import io.backuphub.api.client.invoker.ApiException;
import io.backuphub.api.client.model.ExportRequestForm;
import io.backuphub.api.client.model.InstanceChangeForm;
import io.backuphub.api.client.model.InstanceRegistrationForm;

/**
 * The 18 operations of the Backupify v1 reference (17 in the Swagger file, export re-authorization from the
 * Postman collection), each a call of the client generated from the hub's OpenAPI document on one customer's
 * objects, with a given token.
 */
final class Operations {

    /** Objects of one customer that the operations address. */
    record Ids(long customer, long instance, long backup, String endpoint, long record, long export) {
    }

    /** An operation; {@code list} ones answer a (possibly filtered) list rather than one object. */
    record Operation(String name, boolean list, Function<String, ApiFixture.Reply> call) {
    }

    /** A call of the generated client bound to the token (as a bearer), which also gets the bare token. */
    @FunctionalInterface
    interface ClientCall {
        okhttp3.Call build(V1Api api, String token) throws ApiException;
    }

    private Operations() {
    }

    static List<Operation> reference(ApiFixture f, Ids ids) {
        return List.of(
                op(f, "GET /v1/backup_instances", true, (api, token) -> api.getV1BackupInstancesCall(null, null, null, null)),
                op(f, "POST /v1/backup_instances", false, (api, token) -> api.postV1BackupInstancesCall(
                        new InstanceRegistrationForm()
                                .backupInstanceBackupDefinitionId("cloud66-mysql")
                                .backupInstanceCustomerId(ids.customer())
                                .backupInstanceBackupFrequency("manual")
                                .backupInstanceStackUid("stk-a")
                                .backupInstanceDatabaseName("isolation_probe"), null)),
                op(f, "GET /v1/backup_instances/{id}", false,
                        (api, token) -> api.getV1BackupInstancesBackupInstanceCall(ids.instance(), null)),
                op(f, "PUT /v1/backup_instances/{id}", false, (api, token) -> api.putV1BackupInstancesBackupInstanceCall(
                        ids.instance(), new InstanceChangeForm().backupInstanceBackupFrequency("manual"), null)),
                op(f, "GET .../backups", true, (api, token) ->
                        api.getV1BackupInstancesBackupInstanceBackupsCall(ids.instance(), null, null, null)),
                op(f, "POST .../backups", false,
                        (api, token) -> api.postV1BackupInstancesBackupInstanceBackupsCall(ids.instance(), null)),
                op(f, "GET .../backups/active", false,
                        (api, token) -> api.getV1BackupInstancesBackupInstanceBackupsActiveCall(ids.instance(), null)),
                op(f, "GET .../backups/{backup_id}", false, (api, token) ->
                        api.getV1BackupInstancesBackupInstanceBackupsBackupCall(ids.instance(), ids.backup(), null)),
                op(f, "GET .../endpoints", true, (api, token) ->
                        api.getV1BackupInstancesBackupInstanceEndpointsCall(ids.instance(), null, null, null)),
                op(f, "GET .../endpoints/{name}", false, (api, token) -> api
                        .getV1BackupInstancesBackupInstanceEndpointsEndpointNameCall(ids.instance(), ids.endpoint(), null)),
                op(f, "GET .../records", true, (api, token) -> api
                        .getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsCall(ids.instance(), ids.endpoint(),
                                null, null, null)),
                op(f, "GET .../records/{record_id}", false, (api, token) -> api
                        .getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordCall(ids.instance(),
                                ids.endpoint(), ids.record(), null)),
                // the reference sends this one's token as Access-Token
                op(f, "GET .../records/{record_id}/blob", false, (api, token) -> f.api
                        .getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordBlobCall(ids.instance(),
                                ids.endpoint(), ids.record(), token, null, null, null)),
                op(f, "GET .../exports", true, (api, token) ->
                        api.getV1BackupInstancesBackupInstanceExportsCall(ids.instance(), null, null, null)),
                op(f, "POST .../exports", false, (api, token) -> api.postV1BackupInstancesBackupInstanceExportsCall(
                        ids.instance(), new ExportRequestForm().exportRunBackupRunId(ids.backup()), null)),
                op(f, "GET .../exports/{export_id}", false, (api, token) -> api
                        .getV1BackupInstancesBackupInstanceExportsExportCall(ids.instance(), ids.export(), null)),
                op(f, "POST .../exports/{export_id}/reauth", false, (api, token) -> api
                        .postV1BackupInstancesBackupInstanceExportsExportReauthCall(ids.instance(), ids.export(), null)));
    }

    private static Operation op(ApiFixture f, String name, boolean list, ClientCall call) {
        return new Operation(name, list, token -> {
            try {
                return f.call(call.build(f.api(token == null ? null : ApiFixture.bearer(token)), token));
            } catch (ApiException e) {
                throw new IllegalStateException(name + ": the generated client could not build the call", e);
            }
        });
    }
}
