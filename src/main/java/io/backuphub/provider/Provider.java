package io.backuphub.provider;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.RoutesBuilder;

/**
 * A backup provider the hub polls: the one contract a provider package implements. The package binds one
 * implementation in Camel's registry from its own configuration class (a {@code CamelConfiguration} annotated
 * {@code @org.apache.camel.Configuration} with a {@code @BindToRegistry} method), so adding a provider touches no
 * generic code: its package, its simulator, its properties and its configuration class's name in
 * {@code camel.main.configuration-classes} (ConfigurationClassesTest fails without it) are all there is.
 *
 * <h2>Connections</h2>
 * A provider account is a {@link Connection}: {@code hub.sources.<connection>.provider=<id>} with its customer,
 * credentials ({@link #credentialKeys()}), schedule, budget, breaker and the provider's own settings
 * ({@link #settings()}). A connection is on when {@code enabled} and one of its sign-ins ({@link #signIns()}) is
 * complete; the hub then creates
 * the provider's routes for it from the provider's route templates. Several connections of one provider run side by
 * side; sync history, cursors, rejects, health, JMX, metrics, budget and breaker are all kept per connection.
 *
 * <h2>Route templates and route ids</h2>
 * {@link #templates()} declares Camel route templates (Java DSL {@code routeTemplate(...)}, one per route). Each
 * template id starts with the provider id and a dash ({@code <id>-poll}); for a connection the hub creates the route
 * {@code <connection>-poll} from it, that is the template id with the provider id replaced by the connection name.
 * Every template gets the parameter {@code connection} (the connection's name) and one parameter per key of
 * {@link #settings()} (the connection's value, or the default). Secrets are never template parameters nor parts of an
 * endpoint URI: a route reads them when it runs, with {@link Connection#credential(String)} on
 * {@code Connections.of(context).connection("{{connection}}")}.
 *
 * <p>The endpoints and routes a provider's templates must create, per connection {@code <c>}:
 * <ul>
 *   <li>route {@code <c>-poll}: the scheduled poll, normally
 *       {@code quartz:backuphub/<c>-poll?cron={{schedule}}&stateful=true&deleteJob=false};</li>
 *   <li>{@code direct:<c>-sync}, route {@code <c>-sync}: one sync of everything the account has (used by the poll
 *       and the operator's "sync now"); built with {@link ProviderRoutes#syncRoute};</li>
 *   <li>{@code direct:<c>-instance-sync}, route {@code <c>-instance-sync}: the sync of one backup instance, whose
 *       {@code InstanceSource} is in exchange property {@link InstanceSyncRoute#SOURCE};</li>
 *   <li>{@code direct:<c>-object-check}, route {@code <c>-object-check}: a registration's check, body the
 *       registration's keys map, answer null when the provider has the object, otherwise why not
 *       ({@link ProviderObjects});</li>
 *   <li>{@code direct:<c>-open-record}: opens the bytes of one copyable record for the fan-out (body the
 *       {@code CopyTask}; answer a stream, with {@code CopySteps.DECLARED_SIZE} and {@code CopySteps.DECLARED_SHA256} set when known);</li>
 *   <li>{@code direct:<c>-budget}, route {@code <c>-budget}: every HTTP call of the connection goes through it; the
 *       template {@code <id>-budget} is declared with {@link ProviderBudget#template} (the hub binds the
 *       connection's budget and passes {@code budget-per-period} and {@code budget-period-ms});</li>
 *   <li>optional: {@code direct:<c>-backup-schedule} ({@link ProviderSchedule}),
 *       {@code direct:<c>-restore-export} ({@link ExportRestorer}), and {@code direct:<c>-warnings-notified}, called
 *       after a backup's provider warnings were notified (headers {@code hubProviderBackupId}, {@code hubBackupId}).</li>
 * </ul>
 * Routes that open records for the fan-out use the route configuration {@code fanout-attempt}; routes that call the
 * provider use {@link ProviderSyncErrors#ID}. The quartz job of the poll is {@code backuphub/<c>-poll}, kept in the
 * job store when the route stops ({@code deleteJob=false}): a slot missed while the hub was down fires once at start.
 * Backups the routes ingest carry the connection as {@code CatalogBackup.source} and go to
 * {@code direct:catalog-ingest}.
 */
public interface Provider {

    /** The provider id: lower case letters and digits, also the name of the provider's package. */
    String id();

    /** The secret keys of a connection ({@code hub.sources.<c>.<key>}): never logged, never a template parameter. */
    List<String> credentialKeys();

    /**
     * The ways a connection signs in, each the keys that must all be set ({@code hub.sources.<c>.<key>}, settings
     * included): the connection is on when one of them is complete. By default one way: every credential key.
     */
    default List<List<String>> signIns() {
        return List.of(credentialKeys());
    }

    /**
     * The provider's non-secret settings of a connection with their defaults ({@code hub.sources.<c>.<key>}), e.g.
     * {@code base-url}, {@code schedule}: each becomes a template parameter of the same name.
     */
    Map<String, String> settings();

    /**
     * Called once for each connection that is on, before its routes are created: binds what the connection's routes
     * share that is not a route (a session's cookie store, say) in the registry under a name that starts with the
     * connection's name.
     */
    default void open(org.apache.camel.CamelContext context, Connection connection) {
    }

    /** The provider's route templates (see the class comment); declares templates only, no routes. */
    RoutesBuilder templates();

    /** The ids of the templates the hub instantiates per connection, in order. */
    List<String> templateIds();

    /** The backup definitions the provider offers; upserted into {@code backup_definitions} at start. */
    List<Definition> definitions();

    /** In {@link #copyableEndpoints()}: the records of every endpoint have bytes to copy. */
    String EVERY_ENDPOINT = "*";

    /**
     * The endpoint names ({@code backup_records.endpoint_name}) of this provider's records the fan-out copies to
     * storage and exports include, or {@link #EVERY_ENDPOINT}; their bytes are opened through
     * {@code direct:<c>-open-record}.
     */
    Set<String> copyableEndpoints();

    /** The {@code backup_instance[<name>]} fields a registration through the API carries for this provider. */
    List<RegistrationField> registrationFields();

    /**
     * What a registration's fields become: the instance's source key, keys map and name, the same ingestion derives
     * from the provider's backups so they attach to the registered instance.
     *
     * @param definitionId one of {@link #definitions()}
     * @param fields       the registration field values by field name (required ones are present and well formed)
     * @throws IllegalArgumentException when the fields do not name an object of this definition
     */
    Registered register(String definitionId, Map<String, String> fields);

    /** What the provider answers for an object it does not have (used when the caller may not learn more). */
    default String notFound(Registered registered) {
        return id() + " has no '" + registered.sourceKey() + "'";
    }

    /** A backup definition the provider offers. */
    record Definition(String id, String name, String description) {
    }

    /** A registration field; {@code required} ones must be given, the others default as the provider says. */
    record RegistrationField(String name, boolean required, String description) {
    }

    /** An object a registration names, as the catalog keeps it. */
    record Registered(String sourceKey, Map<String, String> keys, String name) {
    }

    /**
     * Optional capability: the provider runs backups on a schedule of its own. When an instance's
     * {@code backup_frequency} is set (registration or change), the hub sends the instance's {@code InstanceSource}
     * to {@code direct:<c>-backup-schedule} with the five-field cron in header {@link #CRON}; failures go back
     * to the API caller. After it ran, exchange property {@link #NOTE} may say what the provider did.
     */
    interface ProviderSchedule {
        String CRON = "hubBackupScheduleCron";
        String NOTE = "hubBackupScheduleNote";
    }

    /**
     * Optional capability: the provider restores an export into an instance ({@code POST
     * /exports/:id/restores}): {@code direct:<c>-restore-export} with an {@link ExportRestore} body; exchange
     * property {@link #MESSAGE} holds what the provider answered.
     */
    interface ExportRestorer {
        String MESSAGE = "hubRestoreMessage";

        /** An export (readable at {@code url}, a signed link never to be logged) to restore into an instance. */
        record ExportRestore(io.backuphub.catalog.InstanceSource instance, String url, Map<String, String> options) {
            @Override
            public String toString() {
                return "ExportRestore[instance=" + instance.instanceId() + "]";
            }
        }
    }
}
