package io.backuphub.api;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.backuphub.api.client.invoker.ApiException;
import io.backuphub.api.client.model.PostV1BackupInstancesBackupInstanceExportsRequest;
import io.backuphub.api.client.model.PostV1BackupInstancesRequest;
import io.backuphub.api.client.model.PutV1BackupInstancesBackupInstanceRequest;

/**
 * The 18 operations of the Backupify v1 reference (17 in the Swagger file, export re-authorization from the
 * Postman collection), each a call of the generated client on one customer's objects, with a given token.
 */
final class Operations {

    /** Objects of one customer that the operations address. */
    record Ids(long customer, long instance, long backup, String endpoint, long record, long export) {
    }

    /** An operation; {@code list} ones answer a (possibly filtered) list rather than one object. */
    record Operation(String name, boolean list, Function<String, ApiFixture.Reply> call) {
    }

    @FunctionalInterface
    interface ClientCall {
        okhttp3.Call build(Object authorization) throws ApiException;
    }

    private Operations() {
    }

    static List<Operation> reference(ApiFixture f, Ids ids) {
        var api = f.api;
        return List.of(
                op(f, "GET /v1/backup_instances", true, auth -> api.getV1BackupInstancesCall(auth, null, null)),
                op(f, "POST /v1/backup_instances", false, auth -> api.postV1BackupInstancesCall(auth,
                        new PostV1BackupInstancesRequest()
                                .backupInstanceBackupDefinitionId("cloud66-mysql")
                                .backupInstanceCustomerId(ids.customer())
                                .backupInstanceBackupFrequency("manual")
                                .putAdditionalProperty("backup_instance[stack_uid]", "stk-a")
                                .putAdditionalProperty("backup_instance[database_name]", "isolation_probe"), null)),
                op(f, "GET /v1/backup_instances/{id}", false,
                        auth -> api.getV1BackupInstancesBackupInstanceCall(ids.instance(), auth, null)),
                op(f, "PUT /v1/backup_instances/{id}", false, auth -> api.putV1BackupInstancesBackupInstanceCall(
                        ids.instance(), auth, new PutV1BackupInstancesBackupInstanceRequest()
                                .backupInstanceBackupFrequency("manual"), null)),
                op(f, "GET .../backups", true,
                        auth -> api.getV1BackupInstancesBackupInstanceBackupsCall(ids.instance(), auth, null)),
                op(f, "POST .../backups", false,
                        auth -> api.postV1BackupInstancesBackupInstanceBackupsCall(ids.instance(), auth, null)),
                op(f, "GET .../backups/active", false,
                        auth -> api.getV1BackupInstancesBackupInstanceBackupsActiveCall(ids.instance(), auth, null)),
                op(f, "GET .../backups/{backup_id}", false,
                        auth -> api.getV1BackupInstancesBackupInstanceBackupsBackupCall(ids.backup(), ids.instance(), auth, null)),
                op(f, "GET .../endpoints", true,
                        auth -> api.getV1BackupInstancesBackupInstanceEndpointsCall(ids.instance(), auth, null)),
                op(f, "GET .../endpoints/{name}", false, auth -> api
                        .getV1BackupInstancesBackupInstanceEndpointsEndpointNameCall(ids.instance(), ids.endpoint(), auth, null)),
                op(f, "GET .../records", true, auth -> api
                        .getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsCall(ids.instance(), ids.endpoint(), auth, null)),
                op(f, "GET .../records/{record_id}", false, auth -> api
                        .getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordCall(ids.instance(),
                                ids.endpoint(), ids.record(), auth, null)),
                // the reference sends this one's token as Access-Token
                op(f, "GET .../records/{record_id}/blob", false, auth -> api
                        .getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordBlobCall(ids.instance(),
                                ids.endpoint(), ids.record(), auth == null ? null : auth.toString().substring(7), null)),
                op(f, "GET .../exports", true,
                        auth -> api.getV1BackupInstancesBackupInstanceExportsCall(ids.instance(), auth, null)),
                op(f, "POST .../exports", false, auth -> api.postV1BackupInstancesBackupInstanceExportsCall(
                        ids.instance(), auth, new PostV1BackupInstancesBackupInstanceExportsRequest()
                                .exportRunBackupRunId(ids.backup()), null)),
                op(f, "GET .../exports/{export_id}", false, auth -> api
                        .getV1BackupInstancesBackupInstanceExportsExportCall(ids.instance(), ids.export(), auth, null)),
                op(f, "POST .../exports/{export_id}/reauth", false, auth -> reauthCall(f, ids.instance(), ids.export(), auth)));
    }

    /**
     * Export re-authorization is in the Postman collection, not the Swagger file, so the generated client has
     * no method for it: its request is built by the generated client's own invoker.
     */
    static okhttp3.Call reauthCall(ApiFixture f, long instance, long export, Object authorization) throws ApiException {
        var client = f.api.getApiClient();
        Map<String, String> headers = new java.util.HashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization.toString());
        }
        return client.buildCall(null, "/v1/backup_instances/" + instance + "/exports/" + export + "/reauth", "POST",
                List.of(), List.of(), null, headers, Map.of(), Map.of(), new String[0], null);
    }

    private static Operation op(ApiFixture f, String name, boolean list, ClientCall call) {
        return new Operation(name, list, token -> {
            try {
                return f.call(call.build(token == null ? null : ApiFixture.bearer(token)));
            } catch (ApiException e) {
                throw new IllegalStateException(name + ": the generated client could not build the call", e);
            }
        });
    }
}
