package io.backuphub.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.AccessToken;
import io.backuphub.api.model.Backup;
import io.backuphub.api.model.BackupDefinition;
import io.backuphub.api.model.BackupInstance;
import io.backuphub.api.model.BackupRecord;
import io.backuphub.api.model.Customer;
import io.backuphub.api.model.Endpoint;
import io.backuphub.api.model.ErrorBody;
import io.backuphub.api.model.Export;
import io.backuphub.api.model.ExportRequestForm;
import io.backuphub.api.model.ExportRestore;
import io.backuphub.api.model.ExportRestoreForm;
import io.backuphub.api.model.InstanceChangeForm;
import io.backuphub.api.model.InstanceRegistrationForm;
import io.backuphub.api.model.LogLine;
import io.backuphub.api.model.Ping;
import io.backuphub.api.model.TokenRequestForm;
import io.backuphub.catalog.Catalog;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.schedule.InstanceSchedules;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;

/**
 * The Backupify-compatible v1 API (REST DSL on platform-http, on {@code hub.api.port}): the reference's 17
 * operations, export re-authorization, and the operations a Backupify client needs beside them (ping, OAuth
 * token, customers, definitions, logs). Each operation is a route {@code api-<operation>}: authenticate, do,
 * answer JSON; errors are {@link ApiErrors}'.
 * <p>
 * The REST DSL also describes each operation (operationId, parameters, bodies, answers, errors, bearer security)
 * for camel-openapi-java, which serves the OpenAPI document at {@code camel.rest.api-context-path}; the
 * document committed as {@code src/main/openapi/backup-hub-v1.json} is a copy of it that tests keep equal.
 */
public class ApiRoutes extends RouteBuilder {

    /** One tag, so the document's operations stay in one generated client class ({@code V1Api}). */
    private static final String TAG = "V1";
    private static final String BEARER = "bearer";
    private static final String API_VERSION = "1.0.0";
    private static final String INSTANCE = "/backup_instances/{backup_instance_id}";
    private static final String ENDPOINT = INSTANCE + "/endpoints/{endpoint_name}";
    private static final String EXPORT = INSTANCE + "/exports/{export_id}";

    private JsonReply jsonReply;

    @Override
    public void configure() {
        Catalog catalog = getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
        CatalogQueries queries = getContext().getRegistry().lookupByNameAndType("catalogQueries", CatalogQueries.class);
        ApiClients clients = getContext().getRegistry().lookupByNameAndType("apiClients", ApiClients.class);
        HmacSigner signer = getContext().getRegistry().lookupByNameAndType("apiSigner", HmacSigner.class);
        InstanceLog log = getContext().getRegistry().lookupByNameAndType(InstanceLog.BEAN, InstanceLog.class);
        ObjectMapper json = getContext().getRegistry().lookupByNameAndType("apiJson", ObjectMapper.class);
        jsonReply = new JsonReply(json);
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

        describe();

        RestDefinition token = rest("/oauth").tag(TAG);
        token.post("/token").id("postOauthToken")
                .description("Issue a bearer token (OAuth 2 client-credentials grant; the client's id and secret "
                        + "as form fields or as HTTP Basic credentials)")
                .type(TokenRequestForm.class);
        body(token, "the grant request");
        answers(token, AccessToken.class, "a bearer token for the API", 400, 401).to("direct:api-oauth-token");

        RestDefinition v1 = rest("/v1").tag(TAG).produces("application/json");
        v1.securityDefinitions()
                .bearerToken(BEARER, "a configured API token (hub.api.clients) or a token from POST /oauth/token",
                        "opaque")
                .end();

        secured(v1.get("/ping").id("getV1Ping")
                .description("Check the API and the token: who the caller is and the hub's time"));
        answers(v1, Ping.class, "the API is up and the token works");
        v1.to("direct:api-ping");

        secured(v1.get("/customers").id("getV1Customers")
                .description("List the customers the token may see, in ascending order of id"));
        list(v1, Customer.class).to("direct:api-list-customers");

        secured(v1.get("/customers/{customer_id}").id("getV1CustomersCustomer")
                .description("Retrieve a customer by id"));
        id(v1, "customer_id", "the customer's id");
        answers(v1, Customer.class, "the customer", 400, 404).to("direct:api-get-customer");

        secured(v1.get("/customers/{customer_id}/backup_instances").id("getV1CustomersCustomerBackupInstances")
                .description("List the backup_instances of a customer, in ascending order of id"));
        id(v1, "customer_id", "the customer's id");
        list(v1, BackupInstance.class, 404).to("direct:api-list-customer-instances");

        secured(v1.get("/backup_definitions").id("getV1BackupDefinitions")
                .description("List the backup_definitions: the kinds of things the hub backs up, per provider"));
        list(v1, BackupDefinition.class).to("direct:api-list-definitions");

        secured(v1.get("/backup_definitions/{backup_definition_id}").id("getV1BackupDefinitionsBackupDefinition")
                .description("Retrieve a backup_definition by id"));
        v1.param().name("backup_definition_id").type(RestParamType.path).dataType("string").required(true)
                .description("the backup_definition's id (<provider>-<kind>)").endParam();
        answers(v1, BackupDefinition.class, "the backup_definition", 404).to("direct:api-get-definition");

        secured(v1.get("/backup_instances").id("getV1BackupInstances")
                .description("List the backup_instances the token may see, optionally of one backup_definition, "
                        + "in ascending order of id"));
        v1.param().name("backup_definition_id").type(RestParamType.query).dataType("string").required(false)
                .description("only the backup_instances of this backup_definition").endParam();
        list(v1, BackupInstance.class).to("direct:api-list-instances");

        secured(v1.post("/backup_instances").id("postV1BackupInstances")
                .description("Register a backup_instance of a backup_definition for a customer, and schedule its "
                        + "backups (also as the provider's own schedule, where it has one). The provider is asked first: what it does "
                        + "not have is a 422 unknown_provider_object")
                .type(InstanceRegistrationForm.class));
        body(v1, "the backup_instance to register");
        created(v1, BackupInstance.class, "the registered backup_instance (Location: its URL)", 400, 409, 422, 503)
                .to("direct:api-register-instance");

        secured(v1.get(INSTANCE).id("getV1BackupInstancesBackupInstance")
                .description("Retrieve a backup_instance by id"));
        instance(v1);
        answers(v1, BackupInstance.class, "the backup_instance", 400, 404).to("direct:api-get-instance");

        secured(v1.put(INSTANCE).id("putV1BackupInstancesBackupInstance")
                .description("Change a backup_instance's backup_frequency: the hub's schedule of it (and the "
                        + "provider's own schedule, where it has one)")
                .type(InstanceChangeForm.class));
        instance(v1);
        body(v1, "the new backup_frequency");
        answers(v1, BackupInstance.class, "the changed backup_instance", 400, 404, 422, 503)
                .to("direct:api-change-instance");

        secured(v1.get(INSTANCE + "/logs").id("getV1BackupInstancesBackupInstanceLogs")
                .description("The log of a backup_instance on one day: its syncs and what happened to its backups"));
        instance(v1);
        v1.param().name("date").type(RestParamType.query).dataType("string").dataFormat("date").required(false)
                .description("the day (YYYY-MM-DD, UTC; default today)").endParam();
        list(v1, LogLine.class, 404).to("direct:api-instance-logs");

        secured(v1.get(INSTANCE + "/backups").id("getV1BackupInstancesBackupInstanceBackups")
                .description("List the backups of a backup_instance, in ascending order of id"));
        instance(v1);
        list(v1, Backup.class, 404).to("direct:api-list-backups");

        secured(v1.post(INSTANCE + "/backups").id("postV1BackupInstancesBackupInstanceBackups")
                .description("Back up now: sync the backup_instance from its provider at once and answer its newest "
                        + "backup"));
        instance(v1);
        created(v1, Backup.class, "the backup_instance's newest backup", 400, 404, 503)
                .to("direct:api-run-backup");

        // before {backup_id}, which would take "active" as an id
        secured(v1.get(INSTANCE + "/backups/active").id("getV1BackupInstancesBackupInstanceBackupsActive")
                .description("Retrieve the backup of the backup_instance that is running now (queued or in "
                        + "progress); 404 no_active_backup when none"));
        instance(v1);
        answers(v1, Backup.class, "the running backup", 400, 404).to("direct:api-active-backup");

        secured(v1.get(INSTANCE + "/backups/{backup_id}").id("getV1BackupInstancesBackupInstanceBackupsBackup")
                .description("Retrieve a backup of the backup_instance, with the hub's copies of it"));
        instance(v1);
        id(v1, "backup_id", "the backup's id");
        answers(v1, Backup.class, "the backup", 400, 404).to("direct:api-get-backup");

        secured(v1.get(INSTANCE + "/endpoints").id("getV1BackupInstancesBackupInstanceEndpoints")
                .description("List the endpoints (groups of records) of a backup_instance"));
        instance(v1);
        list(v1, Endpoint.class, 404).to("direct:api-list-endpoints");

        secured(v1.get(ENDPOINT).id("getV1BackupInstancesBackupInstanceEndpointsEndpointName")
                .description("Retrieve an endpoint of the backup_instance by name"));
        endpoint(v1);
        answers(v1, Endpoint.class, "the endpoint", 400, 404).to("direct:api-get-endpoint");

        secured(v1.get(ENDPOINT + "/records").id("getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecords")
                .description("List the records stored under an endpoint, in ascending order of id"));
        endpoint(v1);
        list(v1, BackupRecord.class, 404).to("direct:api-list-records");

        secured(v1.get(ENDPOINT + "/records/{record_id}")
                .id("getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecord")
                .description("Retrieve a record by id"));
        endpoint(v1);
        id(v1, "record_id", "the record's id");
        answers(v1, BackupRecord.class, "the record", 400, 404).to("direct:api-get-record");

        secured(v1.get(ENDPOINT + "/records/{record_id}/blob").produces("*/*")
                .id("getV1BackupInstancesBackupInstanceEndpointsEndpointNameRecordsRecordBlob")
                .description("Download a record's stored bytes (streamed; ETag is its sha256; one Range; "
                        + "If-None-Match). The token may also come as the Access-Token header"));
        endpoint(v1);
        id(v1, "record_id", "the record's id");
        v1.param().name("Access-Token").type(RestParamType.header).dataType("string").required(false)
                .description("the token, instead of Authorization: Bearer (as the Backupify reference sends it)")
                .endParam();
        stream(v1, "the record's bytes").to("direct:api-record-blob");

        secured(v1.get(INSTANCE + "/exports").id("getV1BackupInstancesBackupInstanceExports")
                .description("List the exports of a backup_instance, in ascending order of id"));
        instance(v1);
        list(v1, Export.class, 404).to("direct:api-list-exports");

        secured(v1.post(INSTANCE + "/exports").id("postV1BackupInstancesBackupInstanceExports")
                .description("Export a backup (by default the newest completed one) as an archive; the same export "
                        + "requested again is re-authorized (200) instead of built again unless force_full")
                .type(ExportRequestForm.class));
        instance(v1);
        body(v1, "what to export");
        created(v1, Export.class, "the queued export (Location: its URL)", 400, 404, 409, 422)
                .responseMessage().code(200).message("the same export, re-authorized or still under way")
                .responseModel(Export.class).endResponseMessage()
                .to("direct:api-create-export");

        secured(v1.get(EXPORT).id("getV1BackupInstancesBackupInstanceExportsExport")
                .description("Retrieve an export; once completed it has a signed exported_data_url valid until "
                        + "expires_at"));
        export(v1);
        answers(v1, Export.class, "the export", 400, 404).to("direct:api-get-export");

        secured(v1.post(EXPORT + "/reauth").id("postV1BackupInstancesBackupInstanceExportsExportReauth")
                .description("Re-authorize a completed export: its download link, valid again from now"));
        export(v1);
        answers(v1, Export.class, "the export with a fresh exported_data_url", 400, 404, 409)
                .to("direct:api-reauth-export");

        secured(v1.post(EXPORT + "/restore").id("postV1BackupInstancesBackupInstanceExportsExportRestore")
                .description("Restore a completed export into a backup_instance of the same caller whose provider can "
                        + "restore it: the provider is asked to import it, and downloads it through a signed link")
                .type(ExportRestoreForm.class));
        export(v1);
        body(v1, "where to restore the export");
        v1.responseMessage().code(202).message("the provider has queued the import").responseModel(ExportRestore.class)
                .endResponseMessage();
        errors(v1, 400, 404, 409, 422, 503).to("direct:api-restore-export");

        // the signed link is the credential: no bearer token
        v1.get(EXPORT + "/download").produces("*/*").id("getV1BackupInstancesBackupInstanceExportsExportDownload")
                .description("Download a completed export's archive through its signed link (exported_data_url); "
                        + "the link is the credential, no token");
        export(v1);
        v1.param().name("expires").type(RestParamType.query).dataType("integer").dataFormat("int64").required(true)
                .description("when the link expires (epoch seconds), as signed").endParam();
        v1.param().name("signature").type(RestParamType.query).dataType("string").required(true)
                .description("the link's signature").endParam();
        stream(v1, "the export's archive").to("direct:api-export-download");

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
        // the catalog and the hub's schedule change only after the provider has taken its own schedule (when one
        // applies: a provider that runs backups on a schedule of its own)
        json(operation("register-instance", authenticate)
                .bean(instances, "prepareRegistration")
                .filter(body().isNotNull())
                    .enrich().simple("${exchangeProperty." + InstancesApi.SCHEDULE_ENDPOINT + "}")
                        .aggregationStrategy(providerCall).aggregateOnException(true)
                    .end() // the enrich, back in the filter
                .end()
                .bean(instances, "register"));
        json(operation("change-instance", authenticate)
                .bean(instances, "prepareChange")
                .filter(body().isNotNull())
                    .enrich().simple("${exchangeProperty." + InstancesApi.SCHEDULE_ENDPOINT + "}")
                        .aggregationStrategy(providerCall).aggregateOnException(true)
                    .end() // the enrich, back in the filter
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
        // the provider is asked to restore the export only after every check passed
        json(operation("restore-export", authenticate)
                .bean(restores, "prepare")
                .enrich().simple("${exchangeProperty." + ExportRestoresApi.RESTORE_ENDPOINT + "}")
                    .aggregationStrategy(providerCall).aggregateOnException(true)
                .end() // the enrich, back in the route
                .bean(restores, "accepted"));
        // the signed link is the credential: no bearer token
        operation("export-download", null)
                .streamCache("false")
                .bean(exports, "download")
                .process(ApiReply::onlyReplyHeaders);
    }

    // ---------------------------------------------------------------- the OpenAPI document (camel-openapi-java)

    /** What the document at {@code camel.rest.api-context-path} says of the API as a whole. */
    private void describe() {
        restConfiguration()
                .apiProperty("api.title", "Backup Hub API")
                .apiProperty("api.version", API_VERSION)
                .apiProperty("api.description", "The Backupify-compatible v1 API of Backup Hub: customers, "
                        + "backup_instances, their backups, endpoints, records and exports. Lists page with page "
                        + "(from 1) and per_page (1 to 100, default 20) and answer Link (RFC 8288) and X-Total-Count "
                        + "headers. Request bodies are form-encoded with the bracketed names, or JSON with the same "
                        + "names as keys or nested. Every error is {\"error\":{\"code\":...,\"message\":...}}.")
                // the default hub.api.port; a client sets its own base URL
                .apiProperty("host", "localhost:8080")
                .apiProperty("schemes", "http")
                .apiProperty("api.default.consumes", "application/json,application/x-www-form-urlencoded");
    }

    /** The operation needs a bearer token. */
    private static RestDefinition secured(RestDefinition rest) {
        return rest.security(BEARER);
    }

    private static RestDefinition id(RestDefinition rest, String name, String description) {
        return rest.param().name(name).type(RestParamType.path).dataType("integer").dataFormat("int64")
                .required(true).description(description + " (a positive whole number)").endParam();
    }

    private static RestDefinition instance(RestDefinition rest) {
        return id(rest, "backup_instance_id", "the backup_instance's id");
    }

    private static RestDefinition endpoint(RestDefinition rest) {
        return instance(rest).param().name("endpoint_name").type(RestParamType.path).dataType("string")
                .required(true).description("the endpoint's name (1 to 100 characters), e.g. files").endParam();
    }

    private static RestDefinition export(RestDefinition rest) {
        return id(instance(rest), "export_id", "the export's id");
    }

    private static RestDefinition body(RestDefinition rest, String description) {
        return rest.param().name("body").type(RestParamType.body).required(true).description(description).endParam();
    }

    /** 200 with one object, and the errors the operation answers besides 401 and 500. */
    private static RestDefinition answers(RestDefinition rest, Class<?> type, String message, int... errors) {
        rest.outType(type).responseMessage().code(200).message(message).endResponseMessage();
        return errors(rest, errors);
    }

    /** 201 with the created (or newest) object. */
    private static RestDefinition created(RestDefinition rest, Class<?> type, String message, int... errors) {
        rest.responseMessage().code(201).message(message).responseModel(type).endResponseMessage();
        return errors(rest, errors);
    }

    /** A page of a list: page and per_page, the items, Link and X-Total-Count. */
    private static RestDefinition list(RestDefinition rest, Class<?> item, int... errors) {
        rest.param().name("page").type(RestParamType.query).dataType("integer").dataFormat("int32").required(false)
                .defaultValue("1").description("the page, from 1").endParam()
                .param().name("per_page").type(RestParamType.query).dataType("integer").dataFormat("int32")
                .required(false).defaultValue(Integer.toString(PageRequest.DEFAULT_PER_PAGE))
                .description("items per page, 1 to " + PageRequest.MAX_PER_PAGE).endParam()
                .outType(item.arrayType())
                .responseMessage().code(200).message("one page of the list, in ascending order of id")
                .header("Link").dataType("string")
                .description("RFC 8288 links to the first, prev, next and last pages").endHeader()
                .header("X-Total-Count").dataType("integer").description("how many items the whole list has")
                .endHeader()
                .endResponseMessage();
        return errors(rest, IntStream.concat(IntStream.of(400), IntStream.of(errors)).toArray());
    }

    /** Stored bytes, streamed: 200, 206 (Range), 304 (If-None-Match), 416. */
    private static RestDefinition stream(RestDefinition rest, String what) {
        rest.param().name("Range").type(RestParamType.header).dataType("string").required(false)
                        .description("one byte range (bytes=start-end)").endParam()
                .param().name("If-None-Match").type(RestParamType.header).dataType("string").required(false)
                        .description("the ETag already held: 304 when unchanged").endParam()
                .responseMessage().code(200).message(what)
                .header("ETag").dataType("string").description("the content's identity (a record's sha256)")
                .endHeader()
                .header("Content-Length").dataType("integer").description("the length in bytes").endHeader()
                .endResponseMessage()
                .responseMessage().code(206).message("the requested range of " + what)
                .header("Content-Range").dataType("string").description("which bytes, of how many").endHeader()
                .endResponseMessage()
                .responseMessage().code(304).message("unchanged (If-None-Match)").endResponseMessage();
        return errors(rest, 400, 404, 416);
    }

    /** The error body on 4xx and 5xx: every operation may answer 401 (but the unauthenticated) and 500. */
    private static RestDefinition errors(RestDefinition rest, int... codes) {
        Set<Integer> all = new TreeSet<>();
        Arrays.stream(codes).forEach(all::add);
        all.add(500);
        if (!rest.getVerbs().get(rest.getVerbs().size() - 1).getSecurity().isEmpty()) {
            all.add(401);
        }
        for (int code : all) {
            rest.responseMessage().code(code).message(ERRORS.get(code)).responseModel(ErrorBody.class)
                    .endResponseMessage();
        }
        return rest;
    }

    private static final Map<Integer, String> ERRORS = Map.of(
            400, "a parameter or the body is invalid (invalid_parameter, invalid_body, ...)",
            401, "no token, or the token is not valid (unauthorized)",
            404, "no such object, or another customer's (not_found)",
            409, "the request conflicts with the object's state (already_registered, export_not_ready, ...)",
            416, "the range is not satisfiable",
            422, "a field is missing or wrong (missing_field, invalid_field, unknown_customer, ...)",
            500, "the hub could not answer (internal_error; the message names a reference in the hub's log)",
            503, "the provider is unavailable or its source is off (provider_unavailable, source_disabled)");

    /**
     * The start of an operation's route: count the request when it is answered, remember the request's URL, then
     * authenticate (unless null).
     */
    private RouteDefinition operation(String name, Processor authentication) {
        RouteDefinition route = from("direct:api-" + name).routeId("api-" + name)
                .routeConfigurationId(ApiErrors.ID)
                .process(ApiErrors::countWhenDone)
                .process(ApiUrls::remember);
        return authentication == null ? route : route.process(authentication);
    }

    /** The end of an operation's route: the body (an object or a page) as JSON, with only the reply's headers. */
    private void json(ProcessorDefinition<?> route) {
        route.process(ApiReply::prepare).process(jsonReply);
    }
}
