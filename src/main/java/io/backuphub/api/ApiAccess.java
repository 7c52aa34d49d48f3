package io.backuphub.api;

import io.backuphub.provider.Connections;

import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.Customer;
import org.apache.camel.Exchange;

/**
 * Object-level authorization: an object outside the caller's customers is answered exactly like one that does
 * not exist (404), so ids of other customers' objects reveal nothing. A provider's object belongs to the customer
 * of the provider account that has it ({@link #accountCustomer}); registering one for another customer is
 * answered like registering one the provider does not have.
 */
public class ApiAccess {

    private final CatalogQueries queries;

    public ApiAccess(CatalogQueries queries) {
        this.queries = queries;
    }

    public BackupInstance instance(Caller caller, String id) {
        long instanceId = Params.id("backup_instance_id", id);
        return queries.instance(instanceId).filter(i -> caller.sees(i.customerId()))
                .orElseThrow(() -> instanceNotFound(instanceId));
    }

    /** The answer for an instance that does not exist or is another customer's: the same 404. */
    static ApiException instanceNotFound(long instanceId) {
        return ApiException.notFound("backup_instance " + instanceId + " not found");
    }

    /** A 503 unless this hub syncs the connection (enabled, its credentials are set). */
    public static void requireSourceOn(Exchange exchange, String connection) {
        if (exchange.getContext().getRoute(connection + "-instance-sync") == null) {
            String prefix = Connections.of(exchange.getContext()).find(connection).map(c -> c.prefix())
                    .orElse("hub.sources." + connection + ".");
            throw ApiException.unavailable("source_off", "source " + connection + " is off on this hub: set its "
                    + prefix + "* credentials");
        }
    }

    /**
     * The customer that a connection (provider account) belongs to: the owner of every object that account has,
     * whoever registers it.
     */
    public static String accountCustomer(Exchange exchange, String connection) {
        return Connections.of(exchange.getContext()).find(connection).map(c -> c.customer()).orElse("");
    }

    public Customer customer(Caller caller, String id) {
        long customerId = Params.id("customer_id", id);
        return queries.customer(customerId).filter(c -> caller.sees(c.id()))
                .orElseThrow(() -> ApiException.notFound("customer " + customerId + " not found"));
    }
}
