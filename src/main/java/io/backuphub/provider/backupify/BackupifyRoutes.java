package io.backuphub.provider.backupify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogIngestRoute;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.fanout.storage.CopyTask;
import io.backuphub.provider.Fingerprint;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.ProviderBudget;
import io.backuphub.provider.ProviderDataException;
import io.backuphub.provider.ProviderFailures;
import io.backuphub.provider.ProviderObjects;
import io.backuphub.provider.ProviderRoutes;
import io.backuphub.provider.ProviderSyncErrors;
import io.backuphub.provider.RejectItem;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Polls one Backupify connection (an upstream Backupify v1 API: a SaaS backup service or another Backup Hub) on a
 * Quartz cron: every page of its backup_instances, every page of each instance's backups, and for the backups that
 * are new or changed since the last poll (their list item's fingerprint) the instance's endpoints and records, read
 * once per instance and poll. Record blobs are copied by the fan-out through {@code direct:fanout-source-<name>},
 * streamed from the upstream's blob operation and checked against the sha256 it gives.
 *
 * <p>Every call goes through the connection's request budget ({@code direct:<name>-budget}); 429 (after its
 * {@code Retry-After}), 5xx and timeouts are redelivered; a refused OAuth token (401) is fetched again and the call
 * repeated.
 */
public class BackupifyRoutes extends ProviderRoutes {

    /** Exchange properties of a poll. */
    static final String INSTANCE = "backupifyInstance";
    static final String INSTANCES_PAGE = "backupifyInstancesPage";
    static final String BACKUPS_PAGE = "backupifyBackupsPage";
    static final String PENDING = "backupifyPending";
    static final String RECORDS = "backupifyRecords";
    static final String ENDPOINTS_PAGE = "backupifyEndpointsPage";
    static final String ENDPOINTS = "backupifyEndpoints";
    static final String ENDPOINT = "backupifyEndpoint";
    static final String RECORDS_PAGE = "backupifyRecordsPage";
    static final String CHECK_KEYS = "backupifyCheckKeys";
    /** The token a call was sent with, so a 401 retires that one and no newer one. */
    static final String SENT_TOKEN = "backupifySentToken";
    /** Set on the token endpoint's call: its 401 is a wrong client, not an expired token. */
    static final String TOKEN_CALL = "backupifyTokenCall";

    private final BackupifyConnection connection;
    private final Clock clock;

    public BackupifyRoutes(BackupifyConnection connection) {
        this(connection, Clock.systemUTC());
    }

    BackupifyRoutes(BackupifyConnection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    private String uri(String what) {
        return "direct:" + connection.name() + "-" + what;
    }

    private String id(String what) {
        return connection.name() + "-" + what;
    }

    @Override
    public void configure() throws Exception {
        String source = connection.name();
        BackupifyBackupMapper mapper = new BackupifyBackupMapper(source, connection.customer());
        int perPage = connection.pageSize();
        ProducerTemplate calls = getContext().createProducerTemplate();
        BackupifyToken token = connection.usesClientCredentials()
                ? BackupifyToken.clientCredentials(() -> calls.requestBody(uri("token"), null, JsonNode.class), clock)
                : BackupifyToken.fixed(connection.token());
        long maxDelay = Long.parseLong(getContext().resolvePropertyPlaceholders("{{hub.http.max-redelivery-delay-ms}}"));
        int redeliveries = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{hub.http.max-redeliveries}}"));

        // a refused OAuth token has expired or was revoked: fetch a new one and repeat the call. Camel counts a
        // call's attempts over every kind of failure, so a 401 after a retried 5xx still gets its new token
        onException(HttpOperationFailedException.class)
                .onWhen(exchange -> token.renewable() && ProviderFailures.isUnauthorized(exchange.getException())
                        && !exchange.getProperty(TOKEN_CALL, false, Boolean.class))
                .maximumRedeliveries(Math.max(1, redeliveries + 1))
                .redeliveryDelay(0)
                .onRedelivery(exchange -> {
                    token.refused(exchange.getProperty(SENT_TOKEN, String.class));
                    authorize(exchange, token);
                })
                .logExhausted(false)
                .logStackTrace(false);
        // throttled: wait as long as the upstream's Retry-After says (at most the longest redelivery delay)
        onException(HttpOperationFailedException.class)
                .onWhen(exchange -> BackupifyRetryAfter.isThrottled(exchange.getException()))
                .onExceptionOccurred(exchange -> BackupifyRetryAfter.honour(exchange, maxDelay))
                .maximumRedeliveries(redeliveries)
                .redeliveryDelay("{{hub.http.redelivery-delay-ms}}")
                .useExponentialBackOff()
                .maximumRedeliveryDelay(maxDelay)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logExhausted(false)
                .logStackTrace(false);

        // every call to the upstream goes through the connection's request budget; responses stay streams (a blob
        // is copied as it arrives), JSON answers are read at once
        ProviderBudget.route(this, source, connection.baseUrl() + "?disableStreamCache=true");

        from("quartz:backuphub/" + id("poll") + "?cron=" + connection.schedule().replace(' ', '+') + "&stateful=true")
                .routeId(id("poll"))
                .to(uri("sync"));

        syncRoute(uri("sync"), id("sync"), exchange -> SyncRun.start(exchange, source), uri("instances"));

        // one instance of this hub: its upstream instance, read again from the upstream
        syncRoute(uri("instance-sync"), id("instance-sync"), exchange -> {
            InstanceSource instance = InstanceSyncRoute.source(exchange);
            SyncRun.startInstance(exchange, source, instance.instanceId());
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/backup_instances/" + instance.key("backup_instance_id"));
        }, uri("one-instance"));

        from(uri("one-instance")).routeId(id("one-instance"))
                .to(uri("get"))
                .to(uri("instance"));

        // every page of the upstream's backup_instances
        from(uri("instances")).routeId(id("instances"))
                .setProperty(INSTANCES_PAGE, constant(1))
                .loopDoWhile(exchangeProperty(INSTANCES_PAGE).isNotNull())
                    .setHeader(Exchange.HTTP_PATH, constant("/backup_instances"))
                    .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty." + INSTANCES_PAGE + "}&per_page=" + perPage))
                    .to(uri("get"))
                    .process(exchange -> exchange.setProperty(INSTANCES_PAGE, nextPage(exchange, INSTANCES_PAGE, perPage)))
                    .setBody(exchange -> BackupifyPaging.items(exchange.getMessage().getBody(JsonNode.class), "backup_instances"))
                    .split(body())
                        .to(uri("instance"))
                    .end()
                .end();

        // one upstream instance: every page of its backups; the new or changed ones get the instance's records
        from(uri("instance")).routeId(id("instance"))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(exchange -> {
                    JsonNode instance = exchange.getMessage().getBody(JsonNode.class);
                    exchange.setProperty(INSTANCE, instance);
                    exchange.setProperty(RejectItem.ITEM_ID, "backup_instance " + instance.path("id").asText("?"));
                    exchange.setProperty(RejectItem.ITEM_JSON, instance.toString());
                    exchange.setProperty(PENDING, new ArrayList<PendingBackup>());
                    exchange.setProperty(BACKUPS_PAGE, 1);
                })
                .doTry()
                    .process(exchange -> mapper.instanceId(exchange.getProperty(INSTANCE, JsonNode.class)))
                    .loopDoWhile(exchangeProperty(BACKUPS_PAGE).isNotNull())
                        .setHeader(Exchange.HTTP_PATH, simple("/backup_instances/${exchangeProperty." + INSTANCE + "[id]}/backups"))
                        .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty." + BACKUPS_PAGE + "}&per_page=" + perPage))
                        .to(uri("get"))
                        .process(exchange -> exchange.setProperty(BACKUPS_PAGE, nextPage(exchange, BACKUPS_PAGE, perPage)))
                        .process(exchange -> pending(exchange, mapper))
                    .end()
                    .filter(exchange -> !exchange.getProperty(PENDING, List.class).isEmpty())
                        .to(uri("records"))
                        .split(exchangeProperty(PENDING))
                            .to(uri("backup"))
                        .end()
                    .end()
                .endDoTry()
                .doCatch(ProviderDataException.class, JsonProcessingException.class)
                    .process(new RejectItem(source))
                .doCatch(Exception.class)
                    .process(exchange -> SyncRun.itemFailed(exchange, exchange.getProperty(RejectItem.ITEM_ID, String.class)))
                .end();

        // the instance's records (every endpoint, every page), by upstream backup
        from(uri("records")).routeId(id("records"))
                .process(exchange -> {
                    exchange.setProperty(RECORDS, new UpstreamRecords());
                    exchange.setProperty(ENDPOINTS, new ArrayList<JsonNode>());
                    exchange.setProperty(ENDPOINTS_PAGE, 1);
                })
                .loopDoWhile(exchangeProperty(ENDPOINTS_PAGE).isNotNull())
                    .setHeader(Exchange.HTTP_PATH, simple("/backup_instances/${exchangeProperty." + INSTANCE + "[id]}/endpoints"))
                    .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty." + ENDPOINTS_PAGE + "}&per_page=" + perPage))
                    .to(uri("get"))
                    .process(exchange -> exchange.setProperty(ENDPOINTS_PAGE, nextPage(exchange, ENDPOINTS_PAGE, perPage)))
                    .process(exchange -> endpoints(exchange).addAll(
                            BackupifyPaging.items(exchange.getMessage().getBody(JsonNode.class), "endpoints")))
                .end()
                .split(exchangeProperty(ENDPOINTS))
                    .setProperty(ENDPOINT, body())
                    .setProperty(RECORDS_PAGE, constant(1))
                    .loopDoWhile(exchangeProperty(RECORDS_PAGE).isNotNull())
                        .process(exchange -> {
                            JsonNode endpoint = exchange.getProperty(ENDPOINT, JsonNode.class);
                            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/backup_instances/"
                                    + exchange.getProperty(INSTANCE, JsonNode.class).path("id").asText() + "/endpoints/"
                                    + pathSegment(endpoint.path("name").asText()) + "/records");
                            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "page="
                                    + exchange.getProperty(RECORDS_PAGE) + "&per_page=" + perPage);
                        })
                        .to(uri("get"))
                        .process(exchange -> exchange.setProperty(RECORDS_PAGE, nextPage(exchange, RECORDS_PAGE, perPage)))
                        .process(exchange -> {
                            JsonNode endpoint = exchange.getProperty(ENDPOINT, JsonNode.class);
                            UpstreamRecords records = exchange.getProperty(RECORDS, UpstreamRecords.class);
                            for (JsonNode record : BackupifyPaging.items(exchange.getMessage().getBody(JsonNode.class), "records")) {
                                records.add(mapper.record(endpoint.path("name").asText(),
                                        endpoint.path("description").asText(null), record));
                            }
                        })
                    .end()
                .end();

        // one new or changed backup, with its records: into the catalog, then the upstream's record hashes
        from(uri("backup")).routeId(id("ingest"))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(exchange -> {
                    PendingBackup pending = exchange.getMessage().getBody(PendingBackup.class);
                    exchange.setProperty(RejectItem.ITEM_ID, pending.backup().path("id").asText("?"));
                    exchange.setProperty(RejectItem.ITEM_JSON, pending.backup().toString());
                })
                .doTry()
                    .process(exchange -> {
                        PendingBackup pending = exchange.getMessage().getBody(PendingBackup.class);
                        List<UpstreamRecord> records = exchange.getProperty(RECORDS, UpstreamRecords.class)
                                .of(pending.backup().path("id").asText());
                        exchange.setProperty(RECORDS + "OfBackup", records);
                        exchange.getMessage().setBody(mapper.toCatalogBackup(exchange.getProperty(INSTANCE, JsonNode.class),
                                pending.backup(), pending.fingerprint(), records));
                    })
                    .to(CatalogIngestRoute.ENDPOINT)
                    .process(exchange -> BackupifyRecordHashes.keep(catalog(exchange),
                            exchange.getMessage().getHeader(CatalogIngestRoute.OUTCOME, io.backuphub.catalog.IngestOutcome.class).backupId(),
                            exchange.getProperty(RECORDS + "OfBackup", List.class)))
                .endDoTry()
                .doCatch(ProviderDataException.class, JsonProcessingException.class)
                    .process(new RejectItem(source))
                .doCatch(Exception.class)
                    .process(exchange -> SyncRun.itemFailed(exchange, exchange.getProperty(RejectItem.ITEM_ID, String.class)))
                .end();

        // registration: does the upstream have this backup_instance (for this connection's credentials)?
        from(ProviderObjects.endpoint(source)).routeId(ProviderObjects.routeId(source))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty(CHECK_KEYS, body())
                .process(exchange -> exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/backup_instances/"
                        + pathSegment(checkKeys(exchange).getOrDefault("backup_instance_id", ""))))
                .doTry()
                    .to(uri("get"))
                    .setBody(constant(null))
                .doCatch(HttpOperationFailedException.class)
                    .onWhen(exchange -> exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class)
                            .getStatusCode() == 404)
                    .process(exchange -> exchange.getMessage().setBody(source + " has no backup_instance '"
                            + checkKeys(exchange).get("backup_instance_id") + "' (or its credentials do not see it)"))
                .end();

        // the fan-out's source of a record: the upstream's blob, streamed and checked against its sha256
        from("direct:fanout-source-" + source).routeId("fanout-source-" + source)
                .streamCache("false")
                .process(exchange -> {
                    CopyTask task = exchange.getProperty(io.backuphub.fanout.storage.CopySteps.COPY, CopyTask.class);
                    exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/backup_instances/"
                            + task.sourceKey("backup_instance_id") + "/endpoints/" + pathSegment(task.endpoint())
                            + "/records/" + pathSegment(task.providerRecordId()) + "/blob");
                })
                .to(uri("blob"))
                .process(BackupifyBlob::opened);

        // the one place that calls the upstream for JSON: bearer token, no stray headers sent on
        from(uri("get")).routeId(id("http"))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*", Exchange.HTTP_PATH, Exchange.HTTP_QUERY)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant(null))
                .process(exchange -> authorize(exchange, token))
                .to(ProviderBudget.endpoint(source))
                .removeHeader("Authorization")
                .unmarshal().json(JsonNode.class);

        // a record's bytes: the same call, answered as a stream the fan-out copies as it arrives
        from(uri("blob")).routeId(id("blob"))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .streamCache("false")
                .removeHeaders("*", Exchange.HTTP_PATH)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("*/*"))
                .setBody(constant(null))
                .setProperty(Exchange.SKIP_GZIP_ENCODING, constant(true))
                .process(exchange -> authorize(exchange, token))
                .to(ProviderBudget.endpoint(source))
                .removeHeader("Authorization");

        // the client-credentials grant at the upstream's token endpoint (a form post, as OAuth 2 says)
        from(uri("token")).routeId(id("token"))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*")
                .setProperty(TOKEN_CALL, constant(true))
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.HTTP_URI, constant(connection.tokenUrl()))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/x-www-form-urlencoded"))
                .setHeader("Accept", constant("application/json"))
                .setBody(exchange -> "grant_type=client_credentials&client_id=" + form(connection.clientId())
                        + "&client_secret=" + form(connection.clientSecret()))
                .to(ProviderBudget.endpoint(source))
                .unmarshal().json(JsonNode.class);
    }

    /** Sets the bearer token on the call (fetching one when needed) and remembers which one was sent. */
    private static void authorize(Exchange exchange, BackupifyToken token) {
        String current = token.current();
        exchange.setProperty(SENT_TOKEN, current);
        exchange.getMessage().setHeader("Authorization", "Bearer " + current);
    }

    /** The backups of the page just read that the catalog does not hold as they are now. */
    @SuppressWarnings("unchecked")
    private static void pending(Exchange exchange, BackupifyBackupMapper mapper) {
        JsonNode instance = exchange.getProperty(INSTANCE, JsonNode.class);
        List<PendingBackup> pending = exchange.getProperty(PENDING, List.class);
        Catalog catalog = catalog(exchange);
        SyncRun run = SyncRun.of(exchange);
        for (JsonNode backup : BackupifyPaging.items(exchange.getMessage().getBody(JsonNode.class), "backups")) {
            run.seen();
            String fingerprint = Fingerprint.of(backup);
            CatalogBackup mapped;
            try {
                mapped = mapper.toCatalogBackup(instance, backup, fingerprint, List.of());
            } catch (ProviderDataException e) {
                // rejected with its reason when it is ingested: the rest of the instance goes on
                pending.add(new PendingBackup(backup, fingerprint));
                continue;
            }
            if (!catalog.isCurrent(mapped)) {
                pending.add(new PendingBackup(backup, fingerprint));
            }
        }
    }

    private static Integer nextPage(Exchange exchange, String property, int perPage) {
        JsonNode page = exchange.getMessage().getBody(JsonNode.class);
        return BackupifyPaging.next(exchange.getProperty(property, Integer.class), perPage,
                page != null && page.isArray() ? page.size() : 0,
                exchange.getMessage().getHeader("Link", String.class),
                exchange.getMessage().getHeader("X-Total-Count", Long.class));
    }

    @SuppressWarnings("unchecked")
    private static List<JsonNode> endpoints(Exchange exchange) {
        return exchange.getProperty(ENDPOINTS, List.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> checkKeys(Exchange exchange) {
        Map<String, String> keys = exchange.getProperty(CHECK_KEYS, Map.class);
        return keys == null ? Map.of() : keys;
    }

    /** One path segment, encoded (an endpoint's name may hold any character). */
    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String form(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private static Catalog catalog(Exchange exchange) {
        return exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
    }

    /** A backup list item the catalog does not hold as it is now, with its fingerprint. */
    record PendingBackup(JsonNode backup, String fingerprint) {
    }

    /** The records of an instance, by upstream backup id. */
    static final class UpstreamRecords {
        private final Map<String, List<UpstreamRecord>> byBackup = new LinkedHashMap<>();

        synchronized void add(UpstreamRecord record) {
            byBackup.computeIfAbsent(record.backupId(), k -> new ArrayList<>()).add(record);
        }

        synchronized List<UpstreamRecord> of(String backupId) {
            return List.copyOf(byBackup.getOrDefault(backupId, List.of()));
        }
    }
}
