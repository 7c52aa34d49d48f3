package io.backuphub.provider.backupify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogIngestRoute;
import io.backuphub.catalog.IngestOutcome;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.fanout.storage.CopySteps;
import io.backuphub.fanout.storage.CopyTask;
import io.backuphub.provider.Fingerprint;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import io.backuphub.provider.ProviderBudget;
import io.backuphub.provider.ProviderRoutes;
import io.backuphub.provider.ProviderDataException;
import io.backuphub.provider.ProviderFailures;
import io.backuphub.provider.ProviderSyncErrors;
import io.backuphub.provider.RejectItem;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.RouteDefinition;

/**
 * The route templates of a Backupify connection {@code <c>} (an upstream Backupify v1 API: a SaaS backup service or
 * another Backup Hub). A poll reads every page of the upstream's backup_instances, every page of each instance's
 * backups, and for the backups that are new or changed since the last poll (their list item's fingerprint) the
 * instance's endpoints and records, once per instance and poll. The fan-out opens a record's bytes through
 * {@code direct:<c>-open-record}: the upstream's blob operation, streamed and checked against the sha256 it gives.
 *
 * <p>Every call goes through the connection's request budget ({@code direct:<c>-budget}); 429 (after its
 * {@code Retry-After}), 5xx and timeouts are redelivered; a refused OAuth token (401) is fetched again and the call
 * repeated.
 */
public class BackupifyTemplates extends ProviderRoutes {

    /** Exchange properties of a poll. */
    static final String INSTANCE = "backupifyInstance";
    static final String INSTANCE_ID = "backupifyInstanceId";
    static final String INSTANCES_PAGE = "backupifyInstancesPage";
    static final String BACKUPS_PAGE = "backupifyBackupsPage";
    static final String PENDING = "backupifyPending";
    static final String RECORDS = "backupifyRecords";
    static final String RECORDS_OF_BACKUP = "backupifyRecordsOfBackup";
    static final String ENDPOINTS_PAGE = "backupifyEndpointsPage";
    static final String ENDPOINTS = "backupifyEndpoints";
    static final String ENDPOINT = "backupifyEndpoint";
    static final String RECORDS_PAGE = "backupifyRecordsPage";
    static final String CHECK_KEYS = "backupifyCheckKeys";
    /** The token a call was sent with, so a 401 retires that one and no newer one. */
    static final String SENT_TOKEN = "backupifySentToken";

    /** The templates, in the order the hub instantiates them. */
    static final List<String> IDS = List.of("backupify-budget", "backupify-http", "backupify-blob", "backupify-token",
            "backupify-records", "backupify-ingest", "backupify-instance", "backupify-one-instance",
            "backupify-instances", "backupify-sync", "backupify-instance-sync", "backupify-object-check",
            "backupify-open-record", "backupify-poll");
    private static final String C = "{{connection}}";

    /** Made by {@link BackupifyProvider#templates()} only: not a route builder of its own (not in camel.main.routes-builder-classes). */
    BackupifyTemplates() {
    }

    @Override
    public void configure() throws Exception {
        // every call to the upstream goes through the connection's request budget; answers stay streams (a blob
        // is copied as it arrives), JSON answers are read at once
        ProviderBudget.template(this, BackupifyProvider.ID, "{{base-url}}?disableStreamCache=true");

        template("backupify-poll", "quartz:backuphub/" + C + "-poll?cron={{schedule}}&stateful=true&deleteJob=false")
                .to("direct:" + C + "-sync");

        syncTemplate("backupify-sync", exchange -> SyncRun.start(exchange, connection(exchange)),
                "direct:" + C + "-instances");

        // one instance of this hub: its upstream instance, read again from the upstream
        syncTemplate("backupify-instance-sync", exchange -> {
            InstanceSource instance = InstanceSyncRoute.source(exchange);
            SyncRun.startInstance(exchange, connection(exchange), instance.instanceId());
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/backup_instances/"
                    + pathSegment(instance.key("backup_instance_id")));
        }, "direct:" + C + "-one-instance");

        template("backupify-one-instance", "direct:" + C + "-one-instance")
                .to("direct:" + C + "-get")
                .to("direct:" + C + "-instance");

        // every page of the upstream's backup_instances
        template("backupify-instances", "direct:" + C + "-instances")
                .setProperty(INSTANCES_PAGE, constant(1))
                .loopDoWhile(exchangeProperty(INSTANCES_PAGE).isNotNull())
                    .setHeader(Exchange.HTTP_PATH, constant("/backup_instances"))
                    .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty." + INSTANCES_PAGE + "}&per_page={{page-size}}"))
                    .to("direct:" + C + "-get")
                    .process(exchange -> exchange.setProperty(INSTANCES_PAGE, nextPage(exchange, INSTANCES_PAGE)))
                    .setBody(exchange -> BackupifyPaging.items(exchange.getMessage().getBody(JsonNode.class), "backup_instances"))
                    .split(body())
                        .to("direct:" + C + "-instance")
                    .end()
                .end();

        // one upstream instance: every page of its backups; the new or changed ones get the instance's records
        template("backupify-instance", "direct:" + C + "-instance")
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
                    .process(exchange -> exchange.setProperty(INSTANCE_ID, account(exchange).mapper()
                            .instanceId(exchange.getProperty(INSTANCE, JsonNode.class))))
                    .loopDoWhile(exchangeProperty(BACKUPS_PAGE).isNotNull())
                        .setHeader(Exchange.HTTP_PATH, simple("/backup_instances/${exchangeProperty." + INSTANCE_ID + "}/backups"))
                        .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty." + BACKUPS_PAGE + "}&per_page={{page-size}}"))
                        .to("direct:" + C + "-get")
                        .process(exchange -> exchange.setProperty(BACKUPS_PAGE, nextPage(exchange, BACKUPS_PAGE)))
                        .process(BackupifyTemplates::pending)
                    .end()
                    .filter(exchange -> !exchange.getProperty(PENDING, List.class).isEmpty())
                        .to("direct:" + C + "-records")
                        .split(exchangeProperty(PENDING))
                            .to("direct:" + C + "-ingest")
                        .end()
                    .end()
                .endDoTry()
                .doCatch(ProviderDataException.class, JsonProcessingException.class)
                    .process(exchange -> new RejectItem(connection(exchange)).process(exchange))
                .doCatch(Exception.class)
                    .process(exchange -> SyncRun.itemFailed(exchange, exchange.getProperty(RejectItem.ITEM_ID, String.class)))
                .end();

        // the instance's records (every endpoint, every page), by upstream backup
        template("backupify-records", "direct:" + C + "-records")
                .process(exchange -> {
                    exchange.setProperty(RECORDS, new UpstreamRecords());
                    exchange.setProperty(ENDPOINTS, new ArrayList<JsonNode>());
                    exchange.setProperty(ENDPOINTS_PAGE, 1);
                })
                .loopDoWhile(exchangeProperty(ENDPOINTS_PAGE).isNotNull())
                    .setHeader(Exchange.HTTP_PATH, simple("/backup_instances/${exchangeProperty." + INSTANCE_ID + "}/endpoints"))
                    .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty." + ENDPOINTS_PAGE + "}&per_page={{page-size}}"))
                    .to("direct:" + C + "-get")
                    .process(exchange -> exchange.setProperty(ENDPOINTS_PAGE, nextPage(exchange, ENDPOINTS_PAGE)))
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
                                    + exchange.getProperty(INSTANCE_ID, String.class) + "/endpoints/"
                                    + pathSegment(endpoint.path("name").asText()) + "/records");
                            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, "page="
                                    + exchange.getProperty(RECORDS_PAGE) + "&per_page=" + pageSize(exchange));
                        })
                        .to("direct:" + C + "-get")
                        .process(exchange -> exchange.setProperty(RECORDS_PAGE, nextPage(exchange, RECORDS_PAGE)))
                        .process(exchange -> {
                            JsonNode endpoint = exchange.getProperty(ENDPOINT, JsonNode.class);
                            UpstreamRecords records = exchange.getProperty(RECORDS, UpstreamRecords.class);
                            BackupifyBackupMapper mapper = account(exchange).mapper();
                            for (JsonNode record : BackupifyPaging.items(exchange.getMessage().getBody(JsonNode.class), "records")) {
                                records.add(mapper.record(endpoint.path("name").asText(),
                                        endpoint.path("description").asText(null), record));
                            }
                        })
                    .end()
                .end();

        // one new or changed backup, with its records: into the catalog, then the upstream's record hashes
        template("backupify-ingest", "direct:" + C + "-ingest")
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
                        exchange.setProperty(RECORDS_OF_BACKUP, records);
                        exchange.getMessage().setBody(account(exchange).mapper().toCatalogBackup(
                                exchange.getProperty(INSTANCE, JsonNode.class), pending.backup(), pending.fingerprint(),
                                records));
                    })
                    .to(CatalogIngestRoute.ENDPOINT)
                    .process(BackupifyTemplates::keepHashes)
                .endDoTry()
                .doCatch(ProviderDataException.class, JsonProcessingException.class)
                    .process(exchange -> new RejectItem(connection(exchange)).process(exchange))
                .doCatch(Exception.class)
                    .process(exchange -> SyncRun.itemFailed(exchange, exchange.getProperty(RejectItem.ITEM_ID, String.class)))
                .end();

        // registration: does the upstream have this backup_instance (for this connection's credentials)?
        template("backupify-object-check", "direct:" + C + "-object-check")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty(CHECK_KEYS, body())
                .process(exchange -> exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/backup_instances/"
                        + pathSegment(checkKeys(exchange).getOrDefault("backup_instance_id", ""))))
                .doTry()
                    .to("direct:" + C + "-get")
                    .setBody(BackupifyTemplates::definitionAnswer)
                .doCatch(HttpOperationFailedException.class)
                    .onWhen(exchange -> exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class)
                            .getStatusCode() == 404)
                    .process(exchange -> exchange.getMessage().setBody(connection(exchange) + " has no backup_instance '"
                            + checkKeys(exchange).get("backup_instance_id") + "' (or its credentials do not see it)"))
                .end();

        // the fan-out opens a record: the upstream's blob, streamed and checked against its sha256
        template("backupify-open-record", "direct:" + C + "-open-record")
                .streamCache("false")
                .process(exchange -> {
                    CopyTask task = exchange.getMessage().getBody(CopyTask.class);
                    if (task == null) {
                        task = exchange.getProperty(CopySteps.COPY, CopyTask.class);
                    }
                    exchange.setProperty(CopySteps.COPY, task);
                    exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/backup_instances/"
                            + pathSegment(task.sourceKey("backup_instance_id")) + "/endpoints/"
                            + pathSegment(task.endpoint()) + "/records/" + pathSegment(task.providerRecordId()) + "/blob");
                })
                .doTry()
                    .to("direct:" + C + "-blob")
                .doCatch(HttpOperationFailedException.class)
                    .onWhen(exchange -> exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class)
                            .getStatusCode() == 404)
                    .process(BackupifyBlob::notThere)
                .end()
                .process(BackupifyBlob::opened);

        // the one place that calls the upstream for JSON: bearer token, no stray headers sent on
        upstreamErrors(template("backupify-http", "direct:" + C + "-get"))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*", Exchange.HTTP_PATH, Exchange.HTTP_QUERY)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant(null))
                .process(BackupifyTemplates::authorize)
                .to("direct:" + C + "-budget")
                .removeHeader("Authorization")
                .unmarshal().json(JsonNode.class);

        // a record's bytes: the same call, answered as a stream the fan-out copies as it arrives
        upstreamErrors(template("backupify-blob", "direct:" + C + "-blob"))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .streamCache("false")
                .removeHeaders("*", Exchange.HTTP_PATH)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("*/*"))
                .setBody(constant(null))
                .setProperty(Exchange.SKIP_GZIP_ENCODING, constant(true))
                .process(BackupifyTemplates::authorize)
                .to("direct:" + C + "-budget")
                .removeHeader("Authorization");

        // the client-credentials grant at the upstream's token endpoint (a form post, as OAuth 2 says); a 401 here
        // is a wrong client, not an expired token: it is not retried with a new token
        template("backupify-token", "direct:" + C + "-token")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .process(exchange -> {
                    BackupifyAccount account = account(exchange);
                    exchange.getMessage().setHeader(Exchange.HTTP_URI, account.tokenUrl());
                    exchange.getMessage().setBody(account.tokenForm(exchange.getContext()));
                })
                .setHeader(Exchange.CONTENT_TYPE, constant("application/x-www-form-urlencoded"))
                .setHeader("Accept", constant("application/json"))
                .to("direct:" + C + "-budget")
                .unmarshal().json(JsonNode.class);
    }

    /**
     * The upstream's errors on a call: a refused OAuth token (401) is fetched again and the call repeated (Camel counts
     * a call's attempts over every kind of failure, so a 401 after a retried 5xx still gets its new token); a throttled
     * call (429) waits as long as the upstream's {@code Retry-After} says, at most the longest redelivery delay.
     */
    private static RouteDefinition upstreamErrors(RouteDefinition route) {
        route.onException(HttpOperationFailedException.class)
                    .onWhen(exchange -> ProviderFailures.isUnauthorized(exchange.getException())
                            && account(exchange).token().renewable())
                    .maximumRedeliveries("{{hub.http.max-redeliveries}}")
                    .redeliveryDelay(0)
                    .onRedelivery(exchange -> {
                        account(exchange).token().refused(exchange.getProperty(SENT_TOKEN, String.class));
                        authorize(exchange);
                    })
                    .logExhausted(false)
                    .logStackTrace(false)
                .end()
                .onException(HttpOperationFailedException.class)
                    .onWhen(exchange -> BackupifyRetryAfter.isThrottled(exchange.getException()))
                    .onExceptionOccurred(exchange -> BackupifyRetryAfter.honour(exchange, Long.parseLong(exchange
                            .getContext().resolvePropertyPlaceholders("{{hub.http.max-redelivery-delay-ms}}"))))
                    .maximumRedeliveries("{{hub.http.max-redeliveries}}")
                    .redeliveryDelay("{{hub.http.redelivery-delay-ms}}")
                    .useExponentialBackOff()
                    .maximumRedeliveryDelay("{{hub.http.max-redelivery-delay-ms}}")
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logExhausted(false)
                    .logStackTrace(false)
                .end();
        return route;
    }

    /** Sets the bearer token on the call (fetching one when needed) and remembers which one was sent. */
    private static void authorize(Exchange exchange) {
        String current = account(exchange).token().current();
        exchange.setProperty(SENT_TOKEN, current);
        exchange.getMessage().setHeader("Authorization", "Bearer " + current);
    }

    /**
     * The backups of the page just read that the catalog does not hold as they are now (one query for the page); one
     * the mapper rejects is pending too, rejected with its reason when it is ingested, and the rest go on.
     */
    private static void pending(Exchange exchange) {
        JsonNode instance = exchange.getProperty(INSTANCE, JsonNode.class);
        @SuppressWarnings("unchecked")
        List<PendingBackup> pending = exchange.getProperty(PENDING, List.class);
        BackupifyBackupMapper mapper = account(exchange).mapper();
        SyncRun run = SyncRun.of(exchange);
        List<PendingBackup> items = new ArrayList<>();
        List<String> ids = new ArrayList<>(); // each item's backup id, null when the mapper rejects it
        for (JsonNode backup : BackupifyPaging.items(exchange.getMessage().getBody(JsonNode.class), "backups")) {
            run.seen();
            PendingBackup item = new PendingBackup(backup, Fingerprint.of(backup));
            items.add(item);
            try {
                ids.add(mapper.toCatalogBackup(instance, backup, item.fingerprint(), List.of()).providerBackupId());
            } catch (ProviderDataException e) {
                ids.add(null);
            }
        }
        Map<String, String> stored = catalog(exchange).fingerprints(connection(exchange),
                ids.stream().filter(Objects::nonNull).toList());
        for (int i = 0; i < items.size(); i++) {
            String id = ids.get(i);
            if (id == null || !items.get(i).fingerprint().equals(stored.get(id))) {
                pending.add(items.get(i));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void keepHashes(Exchange exchange) {
        IngestOutcome outcome = exchange.getMessage().getHeader(CatalogIngestRoute.OUTCOME, IngestOutcome.class);
        BackupifyRecordHashes.keep(catalog(exchange), outcome.backupId(),
                exchange.getProperty(RECORDS_OF_BACKUP, List.class));
    }

    private static Integer nextPage(Exchange exchange, String property) {
        JsonNode page = exchange.getMessage().getBody(JsonNode.class);
        return BackupifyPaging.next(exchange.getProperty(property, Integer.class), pageSize(exchange),
                page != null && page.isArray() ? page.size() : 0,
                exchange.getMessage().getHeader("Link", String.class),
                exchange.getMessage().getHeader("X-Total-Count", Long.class));
    }

    private static int pageSize(Exchange exchange) {
        return BackupifyPaging.perPage(Integer.parseInt(Connections.current(exchange)
                .setting(BackupifyProvider.PAGE_SIZE).trim()));
    }

    private static String connection(Exchange exchange) {
        return Connections.current(exchange).name();
    }

    private static BackupifyAccount account(Exchange exchange) {
        return BackupifyAccount.of(exchange);
    }

    @SuppressWarnings("unchecked")
    private static List<JsonNode> endpoints(Exchange exchange) {
        return exchange.getProperty(ENDPOINTS, List.class);
    }

    /**
     * Null when the upstream instance is of the registered definition (any, for {@code backupify-instance});
     * otherwise why it cannot be registered under it.
     */
    private static String definitionAnswer(Exchange exchange) {
        String registered = checkKeys(exchange).getOrDefault("backup_definition_id", "");
        JsonNode instance = exchange.getMessage().getBody(JsonNode.class);
        String actual = BackupifyBackupMapper.definitionId(instance);
        if (registered.isBlank() || actual.equals(BackupifyProvider.ID + "-" + registered)) {
            return null;
        }
        return connection(exchange) + "'s backup_instance '" + instance.path("id").asText() + "' is of definition "
                + actual + ", not " + BackupifyProvider.ID + "-" + registered;
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

    static String form(String value) {
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
