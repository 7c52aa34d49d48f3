package io.backuphub.api;

import java.nio.file.Path;

import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.BackupRecord;
import io.backuphub.api.model.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/** {@code /v1/backup_instances/{id}/endpoints...}: endpoints, their records, and a record's stored bytes. */
public class RecordsApi {

    private static final int MAX_NAME = 100;

    private final CatalogQueries queries;
    private final ApiAccess access;
    private final BlobStore store;
    private final RecordDigests digests;

    public RecordsApi(CatalogQueries queries, ApiAccess access, BlobStore store, RecordDigests digests) {
        this.queries = queries;
        this.access = access;
        this.store = store;
        this.digests = digests;
    }

    public Page<Endpoint> endpoints(@ExchangeProperty(Caller.PROPERTY) Caller caller,
                                    @Header("backup_instance_id") String id, @Header("page") String page,
                                    @Header("per_page") String perPage) {
        BackupInstance instance = access.instance(caller, id);
        return queries.endpoints(instance.id(), PageRequest.of(page, perPage));
    }

    public Endpoint endpoint(@ExchangeProperty(Caller.PROPERTY) Caller caller, @Header("backup_instance_id") String id,
                             @Header("endpoint_name") String name) {
        return endpointOf(access.instance(caller, id), name);
    }

    public Page<BackupRecord> records(@ExchangeProperty(Caller.PROPERTY) Caller caller,
                                      @Header("backup_instance_id") String id, @Header("endpoint_name") String name,
                                      @Header("page") String page, @Header("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        Endpoint endpoint = endpointOf(access.instance(caller, id), name);
        return queries.records(endpoint.backupInstanceId(), endpoint.name(), request);
    }

    public BackupRecord record(@ExchangeProperty(Caller.PROPERTY) Caller caller, @Header("backup_instance_id") String id,
                               @Header("endpoint_name") String name, @Header("record_id") String recordId) {
        return stored(caller, id, name, recordId).record();
    }

    /** The record's bytes from storage, streamed. */
    public void blob(Exchange exchange, @ExchangeProperty(Caller.PROPERTY) Caller caller,
                     @Header("backup_instance_id") String id, @Header("endpoint_name") String name,
                     @Header("record_id") String recordId) throws Exception {
        StoredRecord stored = stored(caller, id, name, recordId);
        Path file = store.locate(stored.storageKey()).orElseThrow(() -> new ApiException(404, "not_stored",
                "record " + stored.record().id() + " is in the catalog but its bytes are not in the hub's storage yet"));
        BlobResponse.send(exchange, file, stored.record().contentType(), digests.sha256(stored, file));
    }

    private StoredRecord stored(Caller caller, String id, String name, String recordId) {
        Endpoint endpoint = endpointOf(access.instance(caller, id), name);
        long record = Params.id("record_id", recordId);
        return queries.record(endpoint.backupInstanceId(), endpoint.name(), record)
                .orElseThrow(() -> ApiException.notFound("record " + record + " not found under endpoint '"
                        + endpoint.name() + "'"));
    }

    private Endpoint endpointOf(BackupInstance instance, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw ApiException.invalidParameter("endpoint_name", "must be 1 to " + MAX_NAME + " characters");
        }
        return queries.endpoint(instance.id(), name).orElseThrow(() -> ApiException.notFound("endpoint '" + name
                + "' of backup_instance " + instance.id() + " not found"));
    }
}
