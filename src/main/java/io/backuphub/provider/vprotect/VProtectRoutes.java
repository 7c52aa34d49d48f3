package io.backuphub.provider.vprotect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogIngestRoute;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.Fingerprint;
import io.backuphub.provider.PagePrefetch;
import io.backuphub.provider.ProviderBudget;
import io.backuphub.provider.ProviderDataException;
import io.backuphub.provider.ProviderFailures;
import io.backuphub.provider.ProviderRoutes;
import io.backuphub.provider.ProviderSyncErrors;
import io.backuphub.provider.RejectItem;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.RouteDefinition;
import org.apache.hc.client5.http.cookie.BasicCookieStore;

import static io.backuphub.provider.vprotect.VProtectBackupMapper.SOURCE;

/**
 * The route templates of a vProtect connection (see {@link io.backuphub.provider.Provider}). It polls vProtect's
 * Backups Controller on a Quartz cron: logs in (session cookie), lists backups with their details
 * ({@code GET /backups/detailed}) from the stored cursor page by page (0-based, {@code X-Total-Count}, the connection's
 * {@code page-size}), and ingests each page at once: no request and no exchange per backup.
 */
public class VProtectRoutes extends ProviderRoutes {

    /** Made by {@link VProtectProvider#templates()} only: not a route builder of its own (not in camel.main.routes-builder-classes). */
    VProtectRoutes() {
    }

    private static final String CURSOR = "vprotectCursor";
    private static final String CHECK_KEYS = "vprotectCheckKeys";
    private static final String ENDPOINT = "{{base-url}}?cookieStore=#{{connection}}CookieStore";
    /** The listing's query for the page in exchange property backupsPage. */
    private static final String LIST_QUERY = "${exchangeProperty." + CURSOR + ".query({{cursor-overlap-ms}})}"
            + "&page=${exchangeProperty.backupsPage}&size={{page-size}}&orderBy=snapshotTime&direction=asc";

    @Override
    public void configure() {
        // the logins after a 401 and the next pages asked for ahead go through one template
        ProducerTemplate calls = getContext().createProducerTemplate();

        // an expired session answers 401: log in again and repeat the call. Camel counts the attempts of a call
        // over every kind of failure, so a 401 after a retried 5xx must still get its new login: up to as many
        // repeats as a transient failure gets (at least one)
        int reloginRepeats = Math.max(1, Integer.parseInt(
                getContext().resolvePropertyPlaceholders("{{hub.http.max-redeliveries}}")) + 1);

        // every vProtect call goes through the account's request budget
        ProviderBudget.template(this, SOURCE, ENDPOINT);

        template("vprotect-poll", "quartz:backuphub/{{connection}}-poll?cron={{schedule}}&stateful=true&deleteJob=false")
                .to("direct:{{connection}}-sync");

        // one cookie store (session) per connection, made when its sync starts the first time
        syncTemplate("vprotect-sync", exchange -> {
            SyncRun.start(exchange, Connections.current(exchange).name());
            exchange.setProperty(CURSOR, VProtectCursor.load(catalog(exchange), Connections.current(exchange).name()));
        }, "direct:{{connection}}-backups");

        // one instance (protected entity): its backups from the cursor; the shared cursor is left as it is
        syncTemplate("vprotect-instance-sync", exchange -> {
            InstanceSource instance = InstanceSyncRoute.source(exchange);
            SyncRun.startInstance(exchange, Connections.current(exchange).name(), instance.instanceId());
            exchange.setProperty(CURSOR, VProtectCursor.load(catalog(exchange), Connections.current(exchange).name())
                    .forEntity(instance.key("protected_entity_guid")));
        }, "direct:{{connection}}-backups");

        // log in, then every page from the cursor
        template("vprotect-backups", "direct:{{connection}}-backups")
                .to("direct:{{connection}}-login")
                .setProperty("backupsPage", constant(0))
                .loopDoWhile(exchangeProperty("backupsPage").isNotNull())
                    .to("direct:{{connection}}-backups-page")
                .end();

        template("vprotect-login", "direct:{{connection}}-login")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.HTTP_PATH, constant("/session/login"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(exchange -> Map.of(
                        "login", Connections.current(exchange).credential(exchange.getContext(), "username"),
                        "password", Connections.current(exchange).credential(exchange.getContext(), "password")))
                .marshal().json()
                .to("direct:{{connection}}-budget")
                .setBody(constant(null));

        // one page of backups with their details (GET /backups/detailed: no call per backup), oldest first from the
        // cursor; the next page is asked for while this one is ingested
        template("vprotect-list", "direct:{{connection}}-backups-page")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setHeader(Exchange.HTTP_PATH, constant("/backups/detailed"))
                .setHeader(Exchange.HTTP_QUERY, simple(LIST_QUERY))
                .choice()
                    .when(PagePrefetch.answered())
                        .process(PagePrefetch::take)
                    .otherwise()
                        .to("direct:{{connection}}-get")
                .end()
                .setProperty("backupsPage", method(VProtectPaging.class, "next"))
                .filter(exchangeProperty("backupsPage").isNotNull())
                    .setHeader(Exchange.HTTP_QUERY, simple(LIST_QUERY))
                    .process(PagePrefetch.request(calls, "-get"))
                .end()
                .to("direct:{{connection}}-ingest");

        // one page of backups: mapped (an item that cannot be placed is rejected alone), ingested at once, observed
        // by the cursor, which is saved once the page is committed
        template("vprotect-ingest", "direct:{{connection}}-ingest")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(VProtectRoutes::toCatalogPage)
                .to(CatalogIngestRoute.ENDPOINT)
                .process(exchange -> {
                    VProtectCursor cursor = exchange.getProperty(CURSOR, VProtectCursor.class);
                    @SuppressWarnings("unchecked")
                    List<CatalogBackup> page = exchange.getMessage().getBody(List.class);
                    page.forEach(cursor::observe);
                    cursor.pageCommitted();
                });

        // registration: does vProtect have this protected entity? The Backups Controller answers with its backups
        // (protected-entity filter); one is enough, and tells the entity's type
        template("vprotect-object-check", "direct:{{connection}}-object-check")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty(CHECK_KEYS, body())
                .to("direct:{{connection}}-login")
                .setHeader(Exchange.HTTP_PATH, constant("/backups"))
                .setHeader(Exchange.HTTP_QUERY, simple("protected-entity=${exchangeProperty." + CHECK_KEYS
                        + "[protected_entity_guid]}&page=0&size=1"))
                .to("direct:{{connection}}-get")
                .setBody(VProtectRoutes::entityAnswer);

        // the one place that reads from vProtect: session cookie, JSON, no stray headers sent on
        reloginOn401(template("vprotect-http", "direct:{{connection}}-get"), calls, reloginRepeats)
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*", Exchange.HTTP_PATH, Exchange.HTTP_QUERY)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant(null))
                .to("direct:{{connection}}-budget")
                .unmarshal().json(JsonNode.class);

        // a backup's warnings were notified: acknowledged back to vProtect when the connection's acknowledge-warnings
        // is true (a side step of the notification: a failure is logged by the caller, never fails anything)
        reloginOn401(template("vprotect-acknowledge-warnings", "direct:{{connection}}-warnings-notified"), calls,
                reloginRepeats)
                .filter(exchange -> Boolean.parseBoolean(Connections.current(exchange).setting("acknowledge-warnings")))
                    .setProperty("hubGuid", header("hubProviderBackupId"))
                    .to("direct:{{connection}}-login")
                    .removeHeaders("*")
                    .setHeader(Exchange.HTTP_METHOD, constant("PUT"))
                    .setHeader(Exchange.HTTP_PATH, simple("/backups/${exchangeProperty.hubGuid}/warnings-acknowledged"))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setBody(constant("{\"value\":true}"))
                    .to("direct:{{connection}}-budget")
                    .log(org.apache.camel.LoggingLevel.INFO, "io.backuphub.notify",
                            "acknowledged the warnings of vProtect backup ${exchangeProperty.hubGuid}")
                .end();

        // the fan-out's source: the backup's details as the manifest record (the API offers no download of files),
        // kept in the catalog by the ingest; only a record ingested before the hub kept them asks vProtect
        template("vprotect-open-record", "direct:{{connection}}-open-record")
                .routeConfigurationId("fanout-attempt")
                .process(VProtectManifest::fromCatalog)
                .filter(body().isNull())
                    .setHeader(Exchange.HTTP_PATH, simple("/backups/${exchangeProperty.hubCopy.providerBackupId()}"))
                    .to("direct:{{connection}}-get")
                    .bean(VProtectManifest.class, "toContent")
                .end();
    }

    /**
     * An expired session answers 401: the route logs in again and repeats the call (not for the login itself).
     * Route-scoped, so it comes with every route made from the template.
     */
    private static RouteDefinition reloginOn401(RouteDefinition route, ProducerTemplate relogin, int repeats) {
        return (RouteDefinition) route.onException(HttpOperationFailedException.class)
                .onWhen(exchange -> ProviderFailures.isUnauthorized(exchange.getException())
                        && !"/session/login".equals(exchange.getMessage().getHeader(Exchange.HTTP_PATH)))
                .maximumRedeliveries(repeats)
                .redeliveryDelay(0)
                .onRedelivery(exchange -> relogin.send("direct:" + Connections.current(exchange).name() + "-login",
                        login -> login.setProperty(Connection.PROPERTY, Connections.current(exchange).name())))
                .logExhausted(false)
                .end();
    }

    /**
     * The page's items as catalog backups, in the page's order. An item whose data the hub cannot place is kept in
     * ingest_rejects (and holds the cursor for a few polls: a garbled answer heals by itself); the others go on.
     */
    private static void toCatalogPage(Exchange exchange) {
        List<JsonNode> items = VProtectPaging.items(exchange.getMessage().getBody(JsonNode.class));
        SyncRun.of(exchange).seen(items.size());
        VProtectBackupMapper mapper = mapper(exchange);
        int rejectRetries = Integer.parseInt(Connections.current(exchange).setting("reject-retries"));
        List<CatalogBackup> page = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            try {
                String json = item.toString();
                page.add(mapper.toCatalogBackup(item, Fingerprint.sha256(json), json));
            } catch (ProviderDataException e) {
                String guid = item.path("guid").asText("?");
                int attempts = RejectItem.reject(exchange, e, guid, item.toString());
                if (attempts < rejectRetries && item.path("snapshotTime").canConvertToLong()) {
                    exchange.getProperty(CURSOR, VProtectCursor.class).holdAt(item.path("snapshotTime").asLong());
                }
            }
        }
        exchange.getMessage().setBody(page);
    }

    private static VProtectBackupMapper mapper(Exchange exchange) {
        Connection connection = Connections.current(exchange);
        return new VProtectBackupMapper(connection.customer(), connection.name());
    }

    /** Null when the entity has a backup of the registered type; otherwise why it cannot be registered. */
    private static String entityAnswer(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, String> keys = exchange.getProperty(CHECK_KEYS, Map.class);
        String guid = keys.get("protected_entity_guid");
        List<JsonNode> backups = VProtectPaging.items(exchange.getMessage().getBody(JsonNode.class));
        if (backups.isEmpty()) {
            return "vprotect has no protected entity '" + guid + "' with backups";
        }
        JsonNode type = backups.get(0).path("protectedEntity").path("type");
        String actual = type.isTextual() ? type.asText() : type.path("name").asText("");
        String expected = keys.get("protected_entity_type");
        if (expected != null && !actual.isEmpty() && !expected.equalsIgnoreCase(actual)) {
            return "vprotect's protected entity '" + guid + "' is of type " + actual + ", not " + expected;
        }
        return null;
    }

    private static Catalog catalog(Exchange exchange) {
        return exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
    }
}
