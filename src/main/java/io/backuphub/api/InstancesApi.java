package io.backuphub.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.BackupDefinition;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.LogLine;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import io.backuphub.provider.Provider;
import io.backuphub.provider.ProviderFailures;
import io.backuphub.provider.ProviderObjects;
import io.backuphub.schedule.Frequency;
import io.backuphub.schedule.InstanceSchedules;
import io.backuphub.schedule.ScheduleFloor;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * {@code /v1/backup_instances...}: list, read, register, change the frequency of, and read the log of an
 * instance. Registering or changing an instance of a provider that runs backups on a schedule of its own
 * ({@link Provider.ProviderSchedule}) is done in two steps around the provider call (the {@code prepare...} step
 * answers with the instance to send to {@code direct:<connection>-backup-schedule}, or null): the catalog and the
 * hub's schedule change only once the provider has accepted. A registration goes to the provider's connection of
 * the registration's customer and is first checked with the provider: what it does not have is a 422
 * {@code unknown_provider_object}, and so is an object of a provider account that belongs to another customer than
 * the registration's; a frequency that would run more often than the connection's minimum interval is a 422
 * {@code schedule_too_frequent}.
 */
public class InstancesApi {

    /** Exchange property with the validated registration or change between the two steps. */
    static final String PENDING = "backupHubPendingInstance";
    private static final String FREQUENCY = "backup_instance[backup_frequency]";
    /** Exchange property with the endpoint of the provider-side schedule to call between the two steps. */
    static final String SCHEDULE_ENDPOINT = "backupHubScheduleEndpoint";

    private record Change(BackupInstance instance, Frequency frequency) {
    }

    private final CatalogQueries queries;
    private final ApiAccess access;
    private final InstanceRegistry registry;
    private final InstanceSchedules schedules;
    private final InstanceLog log;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile ProviderObjects providerObjects;

    public InstancesApi(CatalogQueries queries, ApiAccess access, InstanceRegistry registry, InstanceSchedules schedules,
                        InstanceLog log, ObjectMapper json, Clock clock) {
        this.queries = queries;
        this.access = access;
        this.registry = registry;
        this.schedules = schedules;
        this.log = log;
        this.json = json;
        this.clock = clock;
    }

    public Page<BackupInstance> list(@ExchangeProperty(Caller.PROPERTY) Caller caller,
                                     @Header("backup_definition_id") String definitionId,
                                     @Header("page") String page, @Header("per_page") String perPage) {
        PageRequest request = PageRequest.of(page, perPage);
        if (definitionId != null && !definitionId.isBlank()) {
            definition(definitionId.trim(), 400);
        }
        return queries.instances(caller, definitionId == null || definitionId.isBlank() ? null : definitionId.trim(),
                null, request);
    }

    public BackupInstance get(@ExchangeProperty(Caller.PROPERTY) Caller caller,
                              @Header("backup_instance_id") String id) {
        return access.instance(caller, id);
    }

    public Page<LogLine> logs(@ExchangeProperty(Caller.PROPERTY) Caller caller, @Header("backup_instance_id") String id,
                              @Header("date") String date, @Header("page") String page,
                              @Header("per_page") String perPage) {
        BackupInstance instance = access.instance(caller, id);
        LocalDate day = date == null || date.isBlank() ? LocalDate.now(clock.withZone(ZoneOffset.UTC))
                : Params.date("date", date);
        return queries.logs(instance.id(), day, PageRequest.of(page, perPage));
    }

    // ---------------------------------------------------------------- POST /v1/backup_instances

    public InstanceSource prepareRegistration(Exchange exchange) {
        Caller caller = exchange.getProperty(Caller.PROPERTY, Caller.class);
        RequestFields fields = RequestFields.of(exchange, json);
        BackupDefinition definition = definition(fields.required("backup_instance[backup_definition_id]"), 422);
        long customerId = Params.id("backup_instance[customer_id]", fields.required("backup_instance[customer_id]"));
        if (!caller.sees(customerId) || queries.customer(customerId).isEmpty()) {
            throw ApiException.unprocessable("unknown_customer", "customer " + customerId + " not found");
        }
        Frequency frequency = frequency(fields.get(FREQUENCY).orElse("daily"));
        Connections connections = Connections.of(exchange.getContext());
        Provider provider = ProviderKeys.provider(connections, definition);
        String customer = queries.customer(customerId).map(c -> c.name()).orElse("");
        Optional<Connection> connection = ProviderKeys.connection(connections, provider, customer, fields);
        requireNotTooFrequent(exchange, connection.map(Connection::name).orElse(provider.id()), frequency);
        if (connections.on().stream().noneMatch(c -> c.provider().equals(provider.id()))) {
            // no account of the provider polls on this hub: say which one to turn on
            ApiAccess.requireSourceOn(exchange, connection.map(Connection::name).orElse(provider.id()));
        }
        if (connection.isEmpty()) {
            Registration unowned = ProviderKeys.registration(customerId, definition, frequency, fields, provider, null);
            refuseOtherCustomer(caller, unowned, provider, connections);
        }
        Registration registration = ProviderKeys.registration(customerId, definition, frequency, fields, provider,
                connection.get().name());
        ApiAccess.requireSourceOn(exchange, registration.connection());
        if (queries.instanceIdBySource(customerId, registration.connection(), registration.sourceKey()).isPresent()) {
            throw ApiException.conflict("already_registered", "this " + registration.provider()
                    + " source is registered already");
        }
        requireAtProvider(exchange, registration);
        exchange.setProperty(PENDING, registration);
        return providerSchedule(exchange, provider, connection.get().name(), new InstanceSource(0, provider.id(),
                registration.sourceKey(), registration.source(), registration.connection()), frequency);
    }

    public BackupInstance register(Exchange exchange) {
        Registration registration = exchange.getProperty(PENDING, Registration.class);
        long id = registry.register(registration);
        schedules.apply(id, registration.frequency());
        log.append(id, "info", "instance", null, "registered by " + caller(exchange).client()
                + " with backup_frequency '" + registration.frequency() + "'" + scheduleNote(exchange));
        ApiReply.status(exchange, 201);
        ApiReply.header(exchange, "Location", ApiUrls.base(exchange) + "/v1/backup_instances/" + id);
        return queries.instance(id).orElseThrow();
    }

    // ---------------------------------------------------------------- PUT /v1/backup_instances/{id}

    public InstanceSource prepareChange(Exchange exchange) {
        BackupInstance instance = access.instance(caller(exchange),
                exchange.getMessage().getHeader("backup_instance_id", String.class));
        Frequency frequency = frequency(RequestFields.of(exchange, json).required(FREQUENCY));
        InstanceSource source = exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class)
                .instanceSource(instance.id()).orElseThrow();
        requireNotTooFrequent(exchange, source.source(), frequency);
        exchange.setProperty(PENDING, new Change(instance, frequency));
        Optional<Provider> provider = Connections.of(exchange.getContext()).provider(source.provider());
        return provider.map(p -> providerSchedule(exchange, p, source.source(), source, frequency)).orElse(null);
    }

    public BackupInstance change(Exchange exchange) {
        Change change = exchange.getProperty(PENDING, Change.class);
        long id = change.instance().id();
        registry.changeFrequency(id, change.frequency());
        schedules.apply(id, change.frequency());
        log.append(id, "info", "instance", null, "backup_frequency changed by " + caller(exchange).client()
                + " from '" + change.instance().backupFrequency() + "' to '" + change.frequency() + "'"
                + scheduleNote(exchange));
        return queries.instance(id).orElseThrow();
    }

    // ---------------------------------------------------------------- shared

    /**
     * An instance belongs to the provider account that has the object, and so to that account's customer: a
     * registration for any other customer is refused before the provider or the catalog is asked. A customer
     * token gets the provider's "no such object" answer (422 {@code unknown_provider_object}), the same whether
     * the object exists at the provider, is in the catalog under another customer, or does not exist at all; a
     * token that sees every customer is told which customer the account belongs to (422
     * {@code customer_mismatch}).
     */
    private void refuseOtherCustomer(Caller caller, Registration registration, Provider provider,
                                     Connections connections) {
        java.util.List<String> owners = ProviderKeys.owners(connections, provider);
        String owner = owners.isEmpty() ? "" : owners.get(0);
        Optional<Long> ownerId = owner.isEmpty() ? Optional.empty() : queries.customerId(owner);
        if (caller.seesAll() && owners.size() <= 1) {
            throw ApiException.unprocessable("customer_mismatch", "the " + registration.provider() + " account "
                    + "belongs to customer '" + owner + "'" + ownerId.map(id -> " (id " + id + ")").orElse("")
                    + ": backup_instance[customer_id] must be that customer");
        }
        throw ApiException.unprocessable("unknown_provider_object", provider.notFound(
                new Provider.Registered(registration.sourceKey(), registration.source(), registration.name())));
    }

    /**
     * Asks the provider whether it has what the registration names: 422 {@code unknown_provider_object} when it
     * does not, 503 {@code provider_unavailable} when it cannot say (down, throttling, refusing the hub's
     * credentials), 422 {@code provider_rejected} when it refuses the question.
     */
    private void requireAtProvider(Exchange exchange, Registration registration) {
        String missing;
        try {
            missing = providerObjects(exchange).missing(registration.connection(), registration.source());
        } catch (Exception e) {
            String what = ProviderFailures.describe(registration.connection(), e);
            throw ProviderFailures.isRequestRefused(e) ? ApiException.unprocessable("provider_rejected", what)
                    : ApiException.unavailable("provider_unavailable", what);
        }
        if (missing != null) {
            throw ApiException.unprocessable("unknown_provider_object", missing);
        }
    }

    private ProviderObjects providerObjects(Exchange exchange) {
        ProviderObjects objects = providerObjects;
        if (objects == null) {
            synchronized (this) {
                if (providerObjects == null) {
                    providerObjects = new ProviderObjects(exchange.getContext());
                }
                objects = providerObjects;
            }
        }
        return objects;
    }

    /**
     * The instance to send to the connection's {@code direct:<connection>-backup-schedule}, for a provider that runs
     * backups on a schedule of its own and a frequency it can run (a five-field cron, set in header
     * {@link Provider.ProviderSchedule#CRON}); null otherwise (manual, seconds: the hub's own schedule runs them).
     */
    private static InstanceSource providerSchedule(Exchange exchange, Provider provider, String connection,
                                                   InstanceSource instance, Frequency frequency) {
        if (!(provider instanceof Provider.ProviderSchedule)) {
            return null;
        }
        Optional<String> cron = frequency.unixCron();
        if (cron.isEmpty()) {
            return null;
        }
        ApiAccess.requireSourceOn(exchange, connection);
        exchange.getMessage().setHeader(Provider.ProviderSchedule.CRON, cron.get());
        exchange.setProperty(SCHEDULE_ENDPOINT, "direct:" + connection + "-backup-schedule");
        return instance;
    }

    private static String scheduleNote(Exchange exchange) {
        String note = exchange.getProperty(Provider.ProviderSchedule.NOTE, String.class);
        return note == null ? "" : "; " + note;
    }

    private BackupDefinition definition(String id, int status) {
        return queries.definition(id).orElseThrow(() -> new ApiException(status, "unknown_definition",
                "backup_definition '" + id + "' does not exist (GET /v1/backup_definitions lists them)"));
    }

    private static Frequency frequency(String text) {
        try {
            return Frequency.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("invalid_frequency", e.getMessage());
        }
    }

    /**
     * A schedule that would run the instance more often than its provider allows
     * (the connection's {@code min-schedule-interval-seconds}) is a 422 {@code schedule_too_frequent} naming the minimum:
     * every run calls the provider, on an account all customers share.
     */
    private static void requireNotTooFrequent(Exchange exchange, String connection, Frequency frequency) {
        try {
            ScheduleFloor.require(frequency, connection, ScheduleFloor.minimum(exchange.getContext(), connection));
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("schedule_too_frequent", e.getMessage());
        }
    }

    private static Caller caller(Exchange exchange) {
        return exchange.getProperty(Caller.PROPERTY, Caller.class);
    }
}
