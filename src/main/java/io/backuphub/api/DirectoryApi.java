package io.backuphub.api;

import io.backuphub.api.model.RegistrationField;
import io.backuphub.provider.Connections;
import org.apache.camel.Exchange;

import java.time.Clock;

import io.backuphub.api.model.BackupDefinition;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.Customer;
import io.backuphub.api.model.Ping;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/** {@code /v1/ping}, {@code /v1/customers...} and {@code /v1/backup_definitions...}. */
public class DirectoryApi {

    private final CatalogQueries queries;
    private final ApiAccess access;
    private final Clock clock;

    public DirectoryApi(CatalogQueries queries, ApiAccess access, Clock clock) {
        this.queries = queries;
        this.access = access;
        this.clock = clock;
    }

    public Ping ping(@ExchangeProperty(Caller.PROPERTY) Caller caller) {
        return new Ping("ok", caller.client(), clock.instant());
    }

    public Page<Customer> customers(@ExchangeProperty(Caller.PROPERTY) Caller caller, @Header("page") String page,
                                    @Header("per_page") String perPage) {
        return queries.customers(caller, PageRequest.of(page, perPage));
    }

    public Customer customer(@ExchangeProperty(Caller.PROPERTY) Caller caller, @Header("customer_id") String id) {
        return access.customer(caller, id);
    }

    public Page<BackupInstance> customerInstances(@ExchangeProperty(Caller.PROPERTY) Caller caller,
                                                  @Header("customer_id") String id, @Header("page") String page,
                                                  @Header("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        return queries.instances(caller, null, access.customer(caller, id).id(), request);
    }

    public Page<BackupDefinition> definitions(Exchange exchange, @Header("page") String page,
                                              @Header("per_page") String perPage) {
        Page<BackupDefinition> found = queries.definitions(PageRequest.of(page, perPage));
        return new Page<>(found.items().stream().map(d -> withFields(exchange, d)).toList(), found.total(),
                found.request());
    }

    public BackupDefinition definition(Exchange exchange, @Header("backup_definition_id") String id) {
        return withFields(exchange, queries.definition(id)
                .orElseThrow(() -> ApiException.notFound("backup_definition '" + id + "' not found")));
    }

    /** The definition with the registration fields its provider asks for. */
    private static BackupDefinition withFields(Exchange exchange, BackupDefinition definition) {
        return Connections.of(exchange.getContext()).provider(definition.provider())
                .map(p -> definition.withRegistrationFields(p.registrationFields().stream()
                        .map(f -> new RegistrationField(f.name(), f.required(), f.description())).toList()))
                .orElse(definition);
    }
}
