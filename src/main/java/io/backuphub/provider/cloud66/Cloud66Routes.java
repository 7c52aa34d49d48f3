package io.backuphub.provider.cloud66;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogIngestRoute;
import io.backuphub.catalog.CatalogRecord;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.Provider;
import io.backuphub.provider.ProviderBudget;
import io.backuphub.provider.ProviderDataException;
import io.backuphub.provider.ProviderRoutes;
import io.backuphub.provider.ProviderSyncErrors;
import io.backuphub.provider.RejectItem;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.http.base.HttpOperationFailedException;

import static io.backuphub.provider.cloud66.Cloud66BackupMapper.SOURCE;

/**
 * The route templates of a Cloud66 connection (see {@link Provider}): it polls Cloud66 (API v3) on a Quartz cron,
 * every stack (or the configured ones), every page of its backups, and the files of each backup the catalog does not
 * have yet; it checks registrations, sets backup tasks, imports exports and opens files for the fan-out.
 */
public class Cloud66Routes extends ProviderRoutes {

    /** Made by {@link Cloud66Provider#templates()} only: not a route builder of its own (not in camel.main.routes-builder-classes). */
    Cloud66Routes() {
    }

    /** Exchange property: only this db_type's backups (the sync of one instance). */
    private static final String DB_TYPE_FILTER = "cloud66DbType";
    private static final String NEW_BACKUPS = "cloud66NewBackups";
    private static final String CHANGED_BACKUPS = "cloud66ChangedBackups";
    private static final String FILES = "cloud66Files";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many pages of a stack's backups (30 each at Cloud66) a registration check reads at most. */
    static final int CHECK_PAGES = 20;
    private static final String CHECK_KEYS = "cloud66CheckKeys";
    private static final String CHECK_PAGE = "cloud66CheckPage";
    private static final String CHECK_ANSWER = "cloud66CheckAnswer";
    /** Exchange property with the {@link Cloud66BackupTask} sent. */
    static final String TASK = "cloud66Task";
    private static final String IMPORT = "cloud66Import";
    private static final String STACKS = "cloud66Stacks";
    /** The thread pool profile (camel.threadpool.config[...]) a connection's files are read on. */
    static final String FILES_POOL_PROFILE = "cloud66Files";

    @Override
    public void configure() {
        // every Cloud66 call goes through the token's request budget
        ProviderBudget.template(this, SOURCE, "{{base-url}}");

        template("cloud66-poll", "quartz:backuphub/{{connection}}-poll?cron={{schedule}}&stateful=true&deleteJob=false")
                .to("direct:{{connection}}-sync");

        syncTemplate("cloud66-sync", exchange -> SyncRun.start(exchange, Connections.current(exchange).name()),
                "direct:{{connection}}-choose-stacks");

        // the configured stacks, or every stack the token sees
        template("cloud66-choose-stacks", "direct:{{connection}}-choose-stacks")
                .choice()
                    .when(exchange -> !Connections.current(exchange).setting("stacks").isBlank())
                        .to("direct:{{connection}}-configured-stacks")
                    .otherwise()
                        .to("direct:{{connection}}-all-stacks")
                .end();

        // one instance (stack, db_type, database): the stack's backups of that db_type
        syncTemplate("cloud66-instance-sync", exchange -> {
            InstanceSource instance = InstanceSyncRoute.source(exchange);
            SyncRun.startInstance(exchange, Connections.current(exchange).name(), instance.instanceId());
            exchange.getMessage().setBody(JSON.createObjectNode()
                    .put("uid", instance.key("stack_uid")).put("name", instance.key("stack_name")));
            exchange.setProperty(DB_TYPE_FILTER, instance.key("db_type"));
        }, "direct:{{connection}}-stack");

        template("cloud66-configured-stacks", "direct:{{connection}}-configured-stacks")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(exchange -> exchange.setProperty(STACKS, Connections.current(exchange).setting("stacks")))
                .split(exchangeProperty(STACKS).tokenize(","))
                    .setHeader(Exchange.HTTP_PATH, simple("/stacks/${body.trim()}"))
                    .removeHeader(Exchange.HTTP_QUERY)
                    .to("direct:{{connection}}-get")
                    .setBody(method(Cloud66Pagination.class, "object"))
                    .to("direct:{{connection}}-stack")
                .end();

        template("cloud66-stacks", "direct:{{connection}}-all-stacks")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty("stacksPage", constant(1))
                .loopDoWhile(exchangeProperty("stacksPage").isNotNull())
                    .setHeader(Exchange.HTTP_PATH, constant("/stacks"))
                    .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty.stacksPage}"))
                    .to("direct:{{connection}}-get")
                    .setProperty("stacksPage", method(Cloud66Pagination.class, "next"))
                    .split(method(Cloud66Pagination.class, "items"))
                        .to("direct:{{connection}}-stack")
                    .end()
                .end();

        // a stack's backups page by page, newest first: every page on a full walk, else until nothing is new
        template("cloud66-stack", "direct:{{connection}}-stack")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty("stack", method(Cloud66Stack.class, "from"))
                .process(exchange -> {
                    Connection connection = Connections.current(exchange);
                    Cloud66Stack stack = exchange.getProperty("stack", Cloud66Stack.class);
                    String dbType = exchange.getProperty(DB_TYPE_FILTER, String.class);
                    exchange.setProperty(Cloud66Walk.PROPERTY, Cloud66Walk.start(catalog(exchange), connection.name(),
                            dbType == null ? stack.uid() : stack.uid() + "/" + dbType,
                            Duration.ofHours(Long.parseLong(connection.setting("full-walk-interval-hours"))),
                            Integer.parseInt(connection.setting("quiet-pages"))));
                })
                .setProperty("backupsPage", constant(1))
                .doTry()
                    .loopDoWhile(exchangeProperty("backupsPage").isNotNull())
                        .setHeader(Exchange.HTTP_PATH, simple("/stacks/${exchangeProperty.stack.uid()}/backups"))
                        .setHeader(Exchange.HTTP_QUERY, method(Cloud66Routes.class, "backupsQuery"))
                        .to("direct:{{connection}}-get")
                        .setProperty("providerNextPage", method(Cloud66Pagination.class, "next"))
                        .to("direct:{{connection}}-backup")
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

        // one page of a stack's backups: mapped (an item that cannot be placed is rejected alone), the catalog asked
        // once which it has as sent, the files of the new ones read with bounded parallelism (each call still waits
        // for the account's budget), then the page's changes ingested at once
        template("cloud66-ingest", "direct:{{connection}}-backup")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(Cloud66Routes::toChangedBackups)
                .split(exchangeProperty(NEW_BACKUPS)).parallelProcessing()
                        // a few calls at a time per connection: the thread pool profile cloud66Files (properties)
                        .executorService(FILES_POOL_PROFILE)
                    .doTry()
                        .to("direct:{{connection}}-files")
                        .process(exchange -> {
                            CatalogBackup backup = exchange.getProperty("backup", CatalogBackup.class);
                            @SuppressWarnings("unchecked")
                            Map<String, List<CatalogRecord>> files = exchange.getProperty(FILES, Map.class);
                            files.put(backup.providerBackupId(), exchange.getMessage().getBody(List.class));
                        })
                    .doCatch(ProviderDataException.class, com.fasterxml.jackson.core.JsonProcessingException.class)
                        .process(new RejectItem())
                    .doCatch(Exception.class)
                        .process(exchange -> SyncRun.itemFailed(exchange,
                                exchange.getProperty("backup", CatalogBackup.class).providerBackupId()))
                        .process(exchange -> Cloud66Walk.failed(exchange, catalog(exchange)))
                    .end()
                .end()
                .process(Cloud66Routes::withFiles)
                .filter(exchange -> !exchange.getMessage().getBody(List.class).isEmpty())
                    .to(CatalogIngestRoute.ENDPOINT)
                .end();

        // all pages of a backup's files, gathered into the records of that one backup
        template("cloud66-files", "direct:{{connection}}-files")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty("backup", body())
                .setProperty("records", () -> new ArrayList<CatalogRecord>())
                .setProperty("filesPage", constant(1))
                .loopDoWhile(exchangeProperty("filesPage").isNotNull())
                    .setHeader(Exchange.HTTP_PATH, simple(
                            "/stacks/${exchangeProperty.stack.uid()}/backups/${exchangeProperty.backup.providerBackupId()}/files"))
                    .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty.filesPage}"))
                    .to("direct:{{connection}}-get")
                    .process(exchange -> {
                        @SuppressWarnings("unchecked")
                        List<CatalogRecord> records = exchange.getProperty("records", List.class);
                        CatalogBackup backup = exchange.getProperty("backup", CatalogBackup.class);
                        records.addAll(mapper(exchange).toRecords(backup.providerBackupId(),
                                exchange.getMessage().getBody(JsonNode.class)));
                    })
                    .setProperty("filesPage", method(Cloud66Pagination.class, "next"))
                .end()
                .setBody(exchangeProperty("records"));

        // registration: does Cloud66 have this stack and database? It lists no databases, so the database is looked
        // for among the stack's backups of its db_type, newest first, on at most CHECK_PAGES pages
        template("cloud66-object-check", "direct:{{connection}}-object-check")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty(CHECK_KEYS, body())
                .setProperty(CHECK_PAGE, constant(1))
                .setProperty(CHECK_ANSWER, constant(""))
                .doTry()
                    .loopDoWhile(exchangeProperty(CHECK_PAGE).isNotNull())
                        .setHeader(Exchange.HTTP_PATH, simple("/stacks/${exchangeProperty." + CHECK_KEYS + "[stack_uid]}/backups"))
                        .setHeader(Exchange.HTTP_QUERY, simple("page=${exchangeProperty." + CHECK_PAGE + "}&db_type=${exchangeProperty."
                                + CHECK_KEYS + "[db_type]}"))
                        .to("direct:{{connection}}-get")
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
        template("cloud66-http", "direct:{{connection}}-get")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*", Exchange.HTTP_PATH, Exchange.HTTP_QUERY)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .process(Cloud66Routes::authorize)
                .setBody(constant(null))
                .to("direct:{{connection}}-budget")
                .unmarshal().json(JsonNode.class);

        // the provider's own schedule: the backup task of the instance's database, set to the instance's frequency
        template("cloud66-backup-task", "direct:{{connection}}-backup-schedule")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(exchange -> {
                    InstanceSource instance = exchange.getMessage().getBody(InstanceSource.class);
                    exchange.setProperty(TASK, new Cloud66BackupTask(instance.key("stack_uid"), instance.key("db_type"),
                            exchange.getMessage().getHeader(Provider.ProviderSchedule.CRON, String.class)));
                })
                .to("direct:{{connection}}-post-task");
        Cloud66Form.post(template("cloud66-post-task", "direct:{{connection}}-post-task")
                        .routeConfigurationId(ProviderSyncErrors.ID), TASK)
                .unmarshal().json(JsonNode.class)
                .setProperty(Provider.ProviderSchedule.NOTE, simple("Cloud66 backup task set to '${exchangeProperty."
                        + TASK + ".frequency()}'"))
                .log("source={{connection}} stack=${exchangeProperty." + TASK + ".stackUid()} "
                        + "db_type=${exchangeProperty." + TASK + ".dbType()} backup task set to "
                        + "'${exchangeProperty." + TASK + ".frequency()}'");

        // a restore of an export: Cloud66 imports the export's archive (a signed URL) into the database's group
        template("cloud66-import", "direct:{{connection}}-restore-export")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(exchange -> exchange.setProperty(IMPORT, Cloud66Import.of(
                        exchange.getMessage().getBody(Provider.ExportRestorer.ExportRestore.class))))
                .to("direct:{{connection}}-post-import");
        Cloud66Form.post(template("cloud66-post-import", "direct:{{connection}}-post-import")
                        .routeConfigurationId(ProviderSyncErrors.ID), IMPORT)
                .unmarshal().json(Map.class)
                .setProperty(Provider.ExportRestorer.MESSAGE, simple("${body[response][message]}"))
                .log("source={{connection}} stack=${exchangeProperty." + IMPORT + ".stackUid()} "
                        + "db_type=${exchangeProperty." + IMPORT + ".dbType()} group=${exchangeProperty." + IMPORT
                        + ".group()} import requested: ${exchangeProperty." + Provider.ExportRestorer.MESSAGE + "}");

        // the fan-out's source: the file's public_url from the API, checked, then downloaded as a stream
        template("cloud66-open-record", "direct:{{connection}}-open-record")
                .routeConfigurationId("fanout-attempt")
                .streamCache("false")
                .setHeader(Exchange.HTTP_PATH, simple("/stacks/${exchangeProperty.hubCopy.sourceKey('stack_uid')}/backups/"
                        + "${exchangeProperty.hubCopy.providerBackupId()}/files/${exchangeProperty.hubCopy.providerRecordId()}"))
                .to("direct:{{connection}}-get")
                .process(exchange -> download(exchange).prepare(exchange))
                .to("http://cloud66-download?disableStreamCache=true&throwExceptionOnFailure=false&followRedirects=false")
                .process(exchange -> download(exchange).opened(exchange));
    }

    /** The Authorization header of a call, read from the connection at the time of the call. */
    static void authorize(Exchange exchange) {
        exchange.getMessage().setHeader("Authorization",
                "Bearer " + Connections.current(exchange).credential(exchange.getContext(), "token"));
    }

    /**
     * The page's backups the catalog does not have as sent (one query for the page), in the page's order, as the
     * body; those new to the catalog, whose files are read, in {@link #NEW_BACKUPS}.
     */
    private static void toChangedBackups(Exchange exchange) {
        List<JsonNode> items = Cloud66Pagination.items(exchange.getMessage().getBody(JsonNode.class));
        SyncRun.of(exchange).seen(items.size());
        Cloud66BackupMapper mapper = mapper(exchange);
        Cloud66Stack stack = exchange.getProperty("stack", Cloud66Stack.class);
        List<CatalogBackup> mapped = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            try {
                mapped.add(mapper.toCatalogBackup(item, stack));
            } catch (ProviderDataException e) {
                RejectItem.reject(exchange, e, item.path("id").asText("?"), item.toString());
                Cloud66Walk.changed(exchange);
            }
        }
        Map<String, String> stored = catalog(exchange).fingerprints(Connections.current(exchange).name(),
                mapped.stream().map(CatalogBackup::providerBackupId).toList());
        List<CatalogBackup> changed = new ArrayList<>();
        List<CatalogBackup> fresh = new ArrayList<>();
        for (CatalogBackup backup : mapped) {
            String fingerprint = stored.get(backup.providerBackupId());
            if (backup.fingerprint().equals(fingerprint)) {
                continue;
            }
            changed.add(backup);
            if (fingerprint == null) {
                fresh.add(backup);
            }
        }
        if (!changed.isEmpty()) {
            Cloud66Walk.changed(exchange);
        }
        exchange.setProperty(NEW_BACKUPS, fresh);
        exchange.setProperty(CHANGED_BACKUPS, changed);
        exchange.setProperty(FILES, new ConcurrentHashMap<String, List<CatalogRecord>>());
        exchange.getMessage().setBody(changed);
    }

    /** The changed backups with the files read for the new ones; a new one whose files could not be read waits. */
    private static void withFiles(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<CatalogBackup> changed = exchange.getProperty(CHANGED_BACKUPS, List.class);
        @SuppressWarnings("unchecked")
        List<CatalogBackup> fresh = exchange.getProperty(NEW_BACKUPS, List.class);
        @SuppressWarnings("unchecked")
        Map<String, List<CatalogRecord>> files = exchange.getProperty(FILES, Map.class);
        Set<String> isNew = new HashSet<>();
        fresh.forEach(b -> isNew.add(b.providerBackupId()));
        List<CatalogBackup> page = new ArrayList<>(changed.size());
        for (CatalogBackup backup : changed) {
            if (!isNew.contains(backup.providerBackupId())) {
                page.add(backup);
            } else if (files.containsKey(backup.providerBackupId())) {
                page.add(backup.withRecords(files.get(backup.providerBackupId())));
            }
        }
        exchange.removeProperty(NEW_BACKUPS);
        exchange.removeProperty(FILES);
        exchange.removeProperty(CHANGED_BACKUPS);
        exchange.getMessage().setBody(page);
    }

    private static Cloud66BackupMapper mapper(Exchange exchange) {
        Connection connection = Connections.current(exchange);
        return new Cloud66BackupMapper(connection.customer(), connection.name());
    }

    private static Cloud66Download download(Exchange exchange) {
        Connection connection = Connections.current(exchange);
        return new Cloud66Download(List.of(connection.setting("download-hosts").split(",")),
                connection.property("download-hosts"));
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
