package io.backuphub.api;

import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.Customer;

/**
 * Object-level authorization: an object outside the caller's customers is answered exactly like one that does
 * not exist (404), so ids of other customers' objects reveal nothing.
 */
public class ApiAccess {

    private final CatalogQueries queries;

    public ApiAccess(CatalogQueries queries) {
        this.queries = queries;
    }

    public BackupInstance instance(Caller caller, String id) {
        long instanceId = Params.id("backup_instance_id", id);
        return queries.instance(instanceId).filter(i -> caller.sees(i.customerId()))
                .orElseThrow(() -> ApiException.notFound("backup_instance " + instanceId + " not found"));
    }

    public Customer customer(Caller caller, String id) {
        long customerId = Params.id("customer_id", id);
        return queries.customer(customerId).filter(c -> caller.sees(c.id()))
                .orElseThrow(() -> ApiException.notFound("customer " + customerId + " not found"));
    }
}
