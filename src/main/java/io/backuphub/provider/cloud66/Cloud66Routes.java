package io.backuphub.provider.cloud66;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogIngestRoute;
import io.backuphub.catalog.CatalogRecord;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.ProviderBudget;
import io.backuphub.provider.ProviderDataException;
import io.backuphub.provider.ProviderObjects;
import io.backuphub.provider.ProviderRoutes;
import io.backuphub.provider.ProviderSyncErrors;
import io.backuphub.provider.RejectItem;
import io.backuphub.provider.SourceSwitch;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;

import static io.backuphub.provider.cloud66.Cloud66BackupMapper.SOURCE;

/**
 * Polls Cloud66 (API v3) on a Quartz cron: every stack (or the configured ones), every page of its
 * backups, and the files of each backup the catalog does not have yet.
 */
public class Cloud66Routes extends ProviderRoutes {

    /** Exchange property: only this db_type's backups (the sync of one instance). */
    private static final String DB_TYPE_FILTER = "cloud66DbType";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many pages of a stack's backups (30 each at Cloud66) a registration check reads at most. */
    static final int CHECK_PAGES = 20;
    private static final String CHECK_KEYS = "cloud66CheckKeys";
    private static final String CHECK_PAGE = "cloud66CheckPage";
    private static final String CHECK_ANSWER = "cloud66CheckAnswer";

    @Override
    public void configure() throws Exception {
        if (!SourceSwitch.isOn(getContext(), SOURCE, List.of("hub.cloud66.token"))) {
            return;
        }
        // resolved once here, so the token never appears in a route definition or endpoint URI
        String authorization = "Bearer " + getContext().resolvePropertyPlaceholders("{{hub.cloud66.token}}");
        Duration fullWalkInterval = Duration.ofHours(Long.parseLong(
                getContext().resolvePropertyPlaceholders("{{hub.cloud66.full-walk-interval-hours}}")));
        int quietPages = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{hub.cloud66.quiet-pages}}"));
        Cloud66BackupMapper mapper = new Cloud66BackupMapper(
                getContext().resolvePropertyPlaceholders("{{hub.cloud66.customer}}"));

        // every Cloud66 call goes through the token's request budget
        ProviderBudget.route(this, SOURCE, "{{hub.cloud66.base-url}}");

        from("quartz:backuphub/cloud66-poll?cron={{hub.cloud66.schedule}}&stateful=true")
                .routeId("cloud66-poll")
                .to("direct:cloud66-sync");

        syncRoute("direct:cloud66-sync", "cloud66-sync", exchange -> SyncRun.start(exchange, SOURCE),
                "direct:cloud66-choose-stacks");

        // the configured stacks, or every stack the token sees
        from("direct:cloud66-choose-stacks").routeId("cloud66-choose-stacks")
                .choice()
                    .when(simple("${properties:hub.cloud66.stacks:}").isNotEqualTo(""))
                        .to("direct:cloud66-configured-stacks")
                    .otherwise()
                        .to("direct:cloud66-all-stacks")
                .end();

        // one instance (stack, db_type, database): the stack's backups of that db_type
        syncRoute("direct:cloud66-instance-sync", "cloud66-instance-sync", exchange -> {
            InstanceSource instance = InstanceSyncRoute.source(exchange);
            SyncRun.startInstance(exchange, SOURCE, instance.instanceId());
            exchange.getMessage().setBody(JSON.createObjectNode()
                    .put("uid", instance.key("stack_uid")).put("name", instance.key("stack_name")));
            exchange.setProperty(DB_TYPE_FILTER, instance.key("db_type"));
        }, "direct:cloud66-stack");

        from("direct:cloud66-configured-stacks").routeId("cloud66-configured-stacks")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .split(simple("${properties:hub.cloud66.stacks}").tokenize(","))
                    .setHeader(Exchange.HTTP_PATH, simple("/stacks/${body.trim()}"))
                    .removeHeader(Exchange.HTTP_QUERY)
                    .to("direct:cloud66-get")
                    .setBody(method(Cloud66Pagination.class, "object"))
                    .to("direct:cloud66-stack")
                .end();

        from("direct:cloud66-all-stacks").routeId("cloud66-stacks")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty("stacksPage", constant(1))
                .loopDoWhile(exchangeProperty("stacksPage").isNotNull())
                    .setHeader(Exchange.HTTP_PATH, constant("/stacks"))
                    .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty.stacksPage}"))
                    .to("direct:cloud66-get")
                    .setProperty("stacksPage", method(Cloud66Pagination.class, "next"))
                    .split(method(Cloud66Pagination.class, "items"))
                        .to("direct:cloud66-stack")
                    .end()
                .end();

        // a stack's backups page by page, newest first: every page on a full walk, else until nothing is new
        from("direct:cloud66-stack").routeId("cloud66-stack")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty("stack", method(Cloud66Stack.class, "from"))
                .process(exchange -> {
                    Cloud66Stack stack = exchange.getProperty("stack", Cloud66Stack.class);
                    String dbType = exchange.getProperty(DB_TYPE_FILTER, String.class);
                    exchange.setProperty(Cloud66Walk.PROPERTY, Cloud66Walk.start(catalog(exchange),
                            dbType == null ? stack.uid() : stack.uid() + "/" + dbType, fullWalkInterval, quietPages));
                })
                .setProperty("backupsPage", constant(1))
                .doTry()
                    .loopDoWhile(exchangeProperty("backupsPage").isNotNull())
                        .setHeader(Exchange.HTTP_PATH, simple("/stacks/${exchangeProperty.stack.uid()}/backups"))
                        .setHeader(Exchange.HTTP_QUERY, method(Cloud66Routes.class, "backupsQuery"))
                        .to("direct:cloud66-get")
                        .setProperty("providerNextPage", method(Cloud66Pagination.class, "next"))
                        .split(method(Cloud66Pagination.class, "items"))
                            .to("direct:cloud66-backup")
                        .end()
                        .process(exchange -> exchange.setProperty("backupsPage", walk(exchange)
                                .afterPage(exchange.getProperty("providerNextPage", Integer.class))))
                    .end()
                    .process(exchange -> walk(exchange).completed(catalog(exchange)))
                .endDoTry()
                .doCatch(Exception.class)
                    .process(exchange -> {
                        Cloud66Walk.failed(exchange, catalog(exchange));
                        throw exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    })
                .end();

        // one backup: skipped when the catalog has it as sent; its files fetched only when it is new
        from("direct:cloud66-backup").routeId("cloud66-ingest")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(exchange -> {
                    SyncRun.of(exchange).seen();
                    JsonNode item = exchange.getMessage().getBody(JsonNode.class);
                    exchange.setProperty(RejectItem.ITEM_ID, item.path("id").asText("?"));
                    exchange.setProperty(RejectItem.ITEM_JSON, item.toString());
                })
                .doTry()
                    .setBody(exchange -> mapper.toCatalogBackup(exchange.getMessage().getBody(JsonNode.class),
                            exchange.getProperty("stack", Cloud66Stack.class)))
                    .filter(method("catalog", "isCurrent"))
                        .stop()
                    .end()
                    .process(Cloud66Walk::changed)
                    .filter(method("catalog", "isKnown").isEqualTo(false))
                        .enrich("direct:cloud66-files", (original, files) -> {
                            @SuppressWarnings("unchecked")
                            List<CatalogRecord> records = files.getMessage().getBody(List.class);
                            original.getMessage().setBody(original.getMessage().getBody(CatalogBackup.class)
                                    .withRecords(records));
                            return original;
                        })
                    .end()
                    .to(CatalogIngestRoute.ENDPOINT)
                .endDoTry()
                .doCatch(ProviderDataException.class, com.fasterxml.jackson.core.JsonProcessingException.class)
                    .process(new RejectItem(SOURCE))
                    .process(Cloud66Walk::changed)
                .doCatch(Exception.class)
                    .process(exchange -> SyncRun.itemFailed(exchange, exchange.getProperty(RejectItem.ITEM_ID, String.class)))
                    .process(exchange -> Cloud66Walk.failed(exchange, catalog(exchange)))
                .end();

        // all pages of a backup's files, gathered into the records of that one backup
        from("direct:cloud66-files").routeId("cloud66-files")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty("backup", body())
                .setProperty("records", () -> new ArrayList<CatalogRecord>())
                .setProperty("filesPage", constant(1))
                .loopDoWhile(exchangeProperty("filesPage").isNotNull())
                    .setHeader(Exchange.HTTP_PATH, simple(
                            "/stacks/${exchangeProperty.stack.uid()}/backups/${exchangeProperty.backup.providerBackupId()}/files"))
                    .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty.filesPage}"))
                    .to("direct:cloud66-get")
                    .process(exchange -> {
                        @SuppressWarnings("unchecked")
                        List<CatalogRecord> records = exchange.getProperty("records", List.class);
                        CatalogBackup backup = exchange.getProperty("backup", CatalogBackup.class);
                        records.addAll(mapper.toRecords(backup.providerBackupId(),
                                exchange.getMessage().getBody(JsonNode.class)));
                    })
                    .setProperty("filesPage", method(Cloud66Pagination.class, "next"))
                .end()
                .setBody(exchangeProperty("records"));

        // registration: does Cloud66 have this stack and database? It lists no databases, so the database is looked
        // for among the stack's backups of its db_type, newest first, on at most CHECK_PAGES pages
        from(ProviderObjects.endpoint(SOURCE)).routeId(ProviderObjects.routeId(SOURCE))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty(CHECK_KEYS, body())
                .setProperty(CHECK_PAGE, constant(1))
                .setProperty(CHECK_ANSWER, constant(""))
                .doTry()
                    .loopDoWhile(exchangeProperty(CHECK_PAGE).isNotNull())
                        .setHeader(Exchange.HTTP_PATH, simple("/stacks/${exchangeProperty." + CHECK_KEYS + "[stack_uid]}/backups"))
                        .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty." + CHECK_PAGE + "}&db_type=${exchangeProperty."
                                + CHECK_KEYS + "[db_type]}"))
                        .to("direct:cloud66-get")
                        .process(Cloud66Routes::checkPage)
                    .end()
                .endDoTry()
                .doCatch(HttpOperationFailedException.class)
                    .onWhen(exchange -> exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                            HttpOperationFailedException.class).getStatusCode() == 404)
                    .setProperty(CHECK_ANSWER, simple("cloud66 has no stack '${exchangeProperty." + CHECK_KEYS
                            + "[stack_uid]}' (or the token does not see it)"))
                .end()
                .setBody(exchange -> {
                    String answer = exchange.getProperty(CHECK_ANSWER, String.class);
                    return answer == null || answer.isEmpty() ? null : answer;
                });

        // the one place that calls Cloud66: bearer token, JSON, no stray headers sent on
        from("direct:cloud66-get").routeId("cloud66-http")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*", Exchange.HTTP_PATH, Exchange.HTTP_QUERY)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setHeader("Authorization", () -> authorization)
                .setBody(constant(null))
                .to(ProviderBudget.endpoint(SOURCE))
                .unmarshal().json(JsonNode.class);
    }

    /**
     * One page of the registration check: found when a backup of the database is on it; otherwise the next page,
     * until the last one or {@link #CHECK_PAGES}, then the answer says where the hub looked.
     */
    private static void checkPage(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, String> keys = exchange.getProperty(CHECK_KEYS, Map.class);
        JsonNode page = exchange.getMessage().getBody(JsonNode.class);
        String database = keys.get("database_name");
        String dbType = keys.get("db_type");
        boolean found = Cloud66Pagination.items(page).stream().anyMatch(b -> database.equals(b.path("database_name").asText())
                && dbType.equals(b.path("db_type").asText()));
        int current = exchange.getProperty(CHECK_PAGE, Integer.class);
        Integer next = found || current >= CHECK_PAGES ? null : Cloud66Pagination.next(page);
        exchange.setProperty(CHECK_PAGE, next);
        if (found) {
            exchange.setProperty(CHECK_ANSWER, "");
        } else if (next == null) {
            exchange.setProperty(CHECK_ANSWER, "cloud66 has no " + dbType + " database '" + database + "' on stack '"
                    + keys.get("stack_uid") + "' (looked for it among the stack's " + dbType + " backups"
                    + (current >= CHECK_PAGES ? ", newest " + current + " pages" : "") + ")");
        }
    }

    private static Cloud66Walk walk(Exchange exchange) {
        return exchange.getProperty(Cloud66Walk.PROPERTY, Cloud66Walk.class);
    }

    private static Catalog catalog(Exchange exchange) {
        return exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
    }

    /** The query of one page of a stack's backups, narrowed to one db_type when syncing one instance. */
    public static String backupsQuery(@ExchangeProperty("backupsPage") int page,
                                      @ExchangeProperty(DB_TYPE_FILTER) String dbType) {
        return dbType == null ? "page=" + page : "page=" + page + "&db_type=" + dbType;
    }
}
