package io.backuphub.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.BackupDefinition;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.LogLine;
import io.backuphub.provider.ProviderFailures;
import io.backuphub.provider.ProviderObjects;
import io.backuphub.provider.cloud66.Cloud66BackupTask;
import io.backuphub.provider.cloud66.Cloud66BackupTaskRoute;
import io.backuphub.schedule.Frequency;
import io.backuphub.schedule.InstanceSchedules;
import io.backuphub.schedule.ScheduleFloor;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * {@code /v1/backup_instances...}: list, read, register, change the frequency of, and read the log of an
 * instance. Registering or changing a Cloud66 instance is done in two steps around the Cloud66 call (the
 * {@code prepare...} step answers with the backup task to send, or null): the catalog and the hub's schedule
 * change only once Cloud66 has accepted. A registration is first checked with the provider: what it does not have
 * (no such stack, database or protected entity) is a 422 {@code unknown_provider_object}, and so is an object of
 * a provider account that belongs to another customer than the registration's; a frequency that would run more
 * often than the provider's minimum interval is a 422 {@code schedule_too_frequent}.
 */
public class InstancesApi {

    /** Exchange property with the validated registration or change between the two steps. */
    static final String PENDING = "backupHubPendingInstance";
    private static final String FREQUENCY = "backup_instance[backup_frequency]";

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

    public Cloud66BackupTask prepareRegistration(Exchange exchange) {
        Caller caller = exchange.getProperty(Caller.PROPERTY, Caller.class);
        RequestFields fields = RequestFields.of(exchange, json);
        BackupDefinition definition = definition(fields.required("backup_instance[backup_definition_id]"), 422);
        long customerId = Params.id("backup_instance[customer_id]", fields.required("backup_instance[customer_id]"));
        if (!caller.sees(customerId) || queries.customer(customerId).isEmpty()) {
            throw ApiException.unprocessable("unknown_customer", "customer " + customerId + " not found");
        }
        Frequency frequency = frequency(fields.get(FREQUENCY).orElse("daily"));
        Registration registration = ProviderKeys.registration(customerId, definition, frequency, fields);
        requireNotTooFrequent(exchange, registration.provider(), frequency);
        ApiAccess.requireSourceOn(exchange, registration.provider());
        requireAccountCustomer(exchange, caller, registration);
        if (queries.instanceIdBySource(customerId, registration.provider(), registration.sourceKey()).isPresent()) {
            throw ApiException.conflict("already_registered", "this " + registration.provider()
                    + " source is registered already");
        }
        requireAtProvider(exchange, registration);
        exchange.setProperty(PENDING, registration);
        return cloud66Task(registration.provider(), registration.source().get("stack_uid"),
                registration.source().get("db_type"), frequency).orElse(null);
    }

    public BackupInstance register(Exchange exchange) {
        Registration registration = exchange.getProperty(PENDING, Registration.class);
        long id = registry.register(registration);
        schedules.apply(id, registration.frequency());
        log.append(id, "info", "instance", null, "registered by " + caller(exchange).client()
                + " with backup_frequency '" + registration.frequency() + "'" + cloud66Note(exchange));
        ApiReply.status(exchange, 201);
        ApiReply.header(exchange, "Location", ApiUrls.base(exchange) + "/v1/backup_instances/" + id);
        return queries.instance(id).orElseThrow();
    }

    // ---------------------------------------------------------------- PUT /v1/backup_instances/{id}

    public Cloud66BackupTask prepareChange(Exchange exchange) {
        BackupInstance instance = access.instance(caller(exchange),
                exchange.getMessage().getHeader("backup_instance_id", String.class));
        Frequency frequency = frequency(RequestFields.of(exchange, json).required(FREQUENCY));
        requireNotTooFrequent(exchange, instance.provider(), frequency);
        exchange.setProperty(PENDING, new Change(instance, frequency));
        Optional<Cloud66BackupTask> task = cloud66Task(instance.provider(), instance.source().get("stack_uid"),
                instance.source().get("db_type"), frequency);
        if (task.isPresent()) {
            ApiAccess.requireSourceOn(exchange, "cloud66");
        }
        return task.orElse(null);
    }

    public BackupInstance change(Exchange exchange) {
        Change change = exchange.getProperty(PENDING, Change.class);
        long id = change.instance().id();
        registry.changeFrequency(id, change.frequency());
        schedules.apply(id, change.frequency());
        log.append(id, "info", "instance", null, "backup_frequency changed by " + caller(exchange).client()
                + " from '" + change.instance().backupFrequency() + "' to '" + change.frequency() + "'"
                + cloud66Note(exchange));
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
    private void requireAccountCustomer(Exchange exchange, Caller caller, Registration registration) {
        String owner = ApiAccess.accountCustomer(exchange, registration.provider());
        Optional<Long> ownerId = owner.isEmpty() ? Optional.empty() : queries.customerId(owner);
        if (ownerId.isPresent() && ownerId.get() == registration.customerId()) {
            return;
        }
        if (caller.seesAll()) {
            throw ApiException.unprocessable("customer_mismatch", "the " + registration.provider() + " account "
                    + "belongs to customer '" + owner + "'" + ownerId.map(id -> " (id " + id + ")").orElse("")
                    + ": backup_instance[customer_id] must be that customer");
        }
        throw ApiException.unprocessable("unknown_provider_object", ProviderKeys.notFound(registration));
    }

    /**
     * Asks the provider whether it has what the registration names: 422 {@code unknown_provider_object} when it
     * does not, 503 {@code provider_unavailable} when it cannot say (down, throttling, refusing the hub's
     * credentials), 422 {@code provider_rejected} when it refuses the question.
     */
    private void requireAtProvider(Exchange exchange, Registration registration) {
        String missing;
        try {
            missing = providerObjects(exchange).missing(registration.provider(), registration.source());
        } catch (Exception e) {
            String what = ProviderFailures.describe(registration.provider(), e);
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
     * The Cloud66 backup task that carries this frequency, for a Cloud66 instance whose frequency Cloud66 can
     * run (a five-field cron); other frequencies (manual, seconds) stay with the hub's own schedule.
     */
    private static Optional<Cloud66BackupTask> cloud66Task(String provider, String stackUid, String dbType,
                                                           Frequency frequency) {
        if (!"cloud66".equals(provider)) {
            return Optional.empty();
        }
        return frequency.unixCron().map(cron -> new Cloud66BackupTask(stackUid, dbType, cron));
    }

    private static String cloud66Note(Exchange exchange) {
        Cloud66BackupTask task = exchange.getProperty(Cloud66BackupTaskRoute.TASK, Cloud66BackupTask.class);
        return task == null ? "" : "; Cloud66 backup task set to '" + task.frequency() + "'";
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
     * ({@code hub.<provider>.min-schedule-interval-seconds}) is a 422 {@code schedule_too_frequent} naming the minimum:
     * every run calls the provider, on an account all customers share.
     */
    private static void requireNotTooFrequent(Exchange exchange, String provider, Frequency frequency) {
        try {
            ScheduleFloor.require(frequency, provider, ScheduleFloor.minimum(exchange.getContext(), provider));
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("schedule_too_frequent", e.getMessage());
        }
    }

    private static Caller caller(Exchange exchange) {
        return exchange.getProperty(Caller.PROPERTY, Caller.class);
    }
}
