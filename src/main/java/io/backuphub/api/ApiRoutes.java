package io.backuphub.api;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.cloud66.Cloud66BackupTaskRoute;
import io.backuphub.provider.cloud66.Cloud66ImportRoute;
import io.backuphub.schedule.InstanceSchedules;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;

/**
 * The Backupify-compatible v1 API (REST DSL on platform-http, on {@code hub.api.port}): the reference's 17
 * operations, export re-authorization, and the operations a Backupify client needs beside them (ping, OAuth
 * token, customers, definitions, logs). Each operation is a route {@code api-<operation>}: authenticate, do,
 * answer JSON; errors are {@link ApiErrors}'.
 */
public class ApiRoutes extends RouteBuilder {

    private static final String INSTANCE = "/backup_instances/{backup_instance_id}";
    private static final String ENDPOINT = INSTANCE + "/endpoints/{endpoint_name}";
    private static final String EXPORT = INSTANCE + "/exports/{export_id}";

    @Override
    public void configure() {
        Catalog catalog = getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
        CatalogQueries queries = getContext().getRegistry().lookupByNameAndType("catalogQueries", CatalogQueries.class);
        ApiClients clients = getContext().getRegistry().lookupByNameAndType("apiClients", ApiClients.class);
        HmacSigner signer = getContext().getRegistry().lookupByNameAndType("apiSigner", HmacSigner.class);
        InstanceLog log = getContext().getRegistry().lookupByNameAndType(InstanceLog.BEAN, InstanceLog.class);
        ObjectMapper json = getContext().getRegistry().lookupByNameAndType("apiJson", ObjectMapper.class);
        Clock clock = Clock.systemUTC();
        ApiAccess access = new ApiAccess(queries);
        BlobStore blobs = new BlobStore(getContext().resolvePropertyPlaceholders("{{hub.storage.targets}}"));
        Duration linkTtl = Duration.ofSeconds(Long.parseLong(
                getContext().resolvePropertyPlaceholders("{{hub.api.export-url-ttl-seconds}}")));

        DirectoryApi directory = new DirectoryApi(queries, access, clock);
        InstancesApi instances = new InstancesApi(queries, access, new InstanceRegistry(catalog, json, clock),
                new InstanceSchedules(getContext()), log, json, clock);
        BackupsApi backups = new BackupsApi(queries, access);
        RecordsApi records = new RecordsApi(queries, access, blobs, new RecordDigests(catalog));
        ExportLinks links = new ExportLinks(signer, clock);
        ExportsApi exports = new ExportsApi(queries, access, new ExportStore(catalog, clock), links, blobs, json,
                linkTtl, clock);
        ExportRestoresApi restores = new ExportRestoresApi(queries, access, links, json, linkTtl, clock);
        OAuthApi oauth = new OAuthApi(clients, json);
        ProviderCall providerCall = new ProviderCall();
        Processor authenticate = new Authentication(clients, queries, false);
        Processor authenticateBlob = new Authentication(clients, queries, true);

        rest("/oauth").post("/token").to("direct:api-oauth-token");

        rest("/v1").produces("application/json")
                .get("/ping").to("direct:api-ping")
                .get("/customers").to("direct:api-list-customers")
                .get("/customers/{customer_id}").to("direct:api-get-customer")
                .get("/customers/{customer_id}/backup_instances").to("direct:api-list-customer-instances")
                .get("/backup_definitions").to("direct:api-list-definitions")
                .get("/backup_definitions/{backup_definition_id}").to("direct:api-get-definition")
                .get("/backup_instances").to("direct:api-list-instances")
                .post("/backup_instances").to("direct:api-register-instance")
                .get(INSTANCE).to("direct:api-get-instance")
                .put(INSTANCE).to("direct:api-change-instance")
                .get(INSTANCE + "/logs").to("direct:api-instance-logs")
                .get(INSTANCE + "/backups").to("direct:api-list-backups")
                .post(INSTANCE + "/backups").to("direct:api-run-backup")
                // before {backup_id}, which would take "active" as an id
                .get(INSTANCE + "/backups/active").to("direct:api-active-backup")
                .get(INSTANCE + "/backups/{backup_id}").to("direct:api-get-backup")
                .get(INSTANCE + "/endpoints").to("direct:api-list-endpoints")
                .get(ENDPOINT).to("direct:api-get-endpoint")
                .get(ENDPOINT + "/records").to("direct:api-list-records")
                .get(ENDPOINT + "/records/{record_id}").to("direct:api-get-record")
                .get(ENDPOINT + "/records/{record_id}/blob").produces("*/*").to("direct:api-record-blob")
                .get(INSTANCE + "/exports").to("direct:api-list-exports")
                .post(INSTANCE + "/exports").to("direct:api-create-export")
                .get(EXPORT).to("direct:api-get-export")
                .post(EXPORT + "/reauth").to("direct:api-reauth-export")
                .post(EXPORT + "/restore").to("direct:api-restore-export")
                .get(EXPORT + "/download").produces("*/*").to("direct:api-export-download");

        json(operation("oauth-token", null).bean(oauth, "token"));
        json(operation("ping", authenticate).bean(directory, "ping"));
        json(operation("list-customers", authenticate).bean(directory, "customers"));
        json(operation("get-customer", authenticate).bean(directory, "customer"));
        json(operation("list-customer-instances", authenticate).bean(directory, "customerInstances"));
        json(operation("list-definitions", authenticate).bean(directory, "definitions"));
        json(operation("get-definition", authenticate).bean(directory, "definition"));

        json(operation("list-instances", authenticate).bean(instances, "list"));
        json(operation("get-instance", authenticate).bean(instances, "get"));
        json(operation("instance-logs", authenticate).bean(instances, "logs"));
        // the catalog and the hub's schedule change only after Cloud66 has taken the backup task (when one applies)
        json(operation("register-instance", authenticate)
                .bean(instances, "prepareRegistration")
                .filter(body().isNotNull())
                    .enrich(Cloud66BackupTaskRoute.ENDPOINT, providerCall, true)
                .end()
                .bean(instances, "register"));
        json(operation("change-instance", authenticate)
                .bean(instances, "prepareChange")
                .filter(body().isNotNull())
                    .enrich(Cloud66BackupTaskRoute.ENDPOINT, providerCall, true)
                .end()
                .bean(instances, "change"));

        json(operation("list-backups", authenticate).bean(backups, "list"));
        json(operation("get-backup", authenticate).bean(backups, "get"));
        json(operation("active-backup", authenticate).bean(backups, "active"));
        json(operation("run-backup", authenticate)
                .bean(backups, "prepareRun")
                .enrich(InstanceSyncRoute.ENDPOINT, providerCall, true)
                .bean(backups, "afterRun"));

        json(operation("list-endpoints", authenticate).bean(records, "endpoints"));
        json(operation("get-endpoint", authenticate).bean(records, "endpoint"));
        json(operation("list-records", authenticate).bean(records, "records"));
        json(operation("get-record", authenticate).bean(records, "record"));
        operation("record-blob", authenticateBlob)
                // a stream body must reach the client as it is, never cached in memory
                .streamCache("false")
                .bean(records, "blob")
                .process(ApiReply::onlyReplyHeaders);

        json(operation("list-exports", authenticate).bean(exports, "list"));
        // a queued export is built at once (routes/exports.yaml), on a copy that carries only its id
        json(operation("create-export", authenticate).bean(exports, "create").to("direct:api-export-requested"));
        from("direct:api-export-requested").routeId("api-export-requested")
                .filter(simple("${body.status()} == 'queued'"))
                    .wireTap("seda:export-requested?discardWhenFull=true").onPrepare(ExportsApi::buildRequest);
        json(operation("get-export", authenticate).bean(exports, "get"));
        json(operation("reauth-export", authenticate).bean(exports, "reauthorize"));
        // Cloud66 is asked to import the export only after every check passed
        json(operation("restore-export", authenticate)
                .bean(restores, "prepare")
                .enrich(Cloud66ImportRoute.ENDPOINT, providerCall, true)
                .bean(restores, "accepted"));
        // the signed link is the credential: no bearer token
        operation("export-download", null)
                .streamCache("false")
                .bean(exports, "download")
                .process(ApiReply::onlyReplyHeaders);
    }

    /** The start of an operation's route: remember the request's URL, then authenticate (unless null). */
    private RouteDefinition operation(String name, Processor authentication) {
        RouteDefinition route = from("direct:api-" + name).routeId("api-" + name)
                .routeConfigurationId(ApiErrors.ID)
                .process(ApiUrls::remember);
        return authentication == null ? route : route.process(authentication);
    }

    /** The end of an operation's route: the body (an object or a page) as JSON, with only the reply's headers. */
    private static void json(ProcessorDefinition<?> route) {
        route.process(ApiReply::prepare).marshal().custom(ApiConfiguration.JSON_FORMAT);
    }
}
