package io.backuphub.provider.vprotect;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogIngestRoute;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.Fingerprint;
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
 * The route templates of a vProtect connection (see {@link io.backuphub.provider.Provider}). It polls vProtect's Backups Controller on a Quartz cron: logs in (session cookie), lists backups from the
 * stored cursor page by page (0-based, {@code X-Total-Count}), and reads the details of every backup that
 * is new or changed since the last poll.
 */
public class VProtectRoutes extends ProviderRoutes {

    /** Made by {@link VProtectProvider#templates()} only: not a route builder of its own (package scans skip it). */
    VProtectRoutes() {
    }

    private static final String CURSOR = "vprotectCursor";
    private static final String CHECK_KEYS = "vprotectCheckKeys";
    private static final String SNAPSHOT = "vprotectSnapshotTime";
    private static final String ENDPOINT = "{{base-url}}?cookieStore=#{{connection}}CookieStore";

    @Override
    public void configure() {
        ProducerTemplate relogin = getContext().createProducerTemplate();

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

        // one page of backups, oldest first from the cursor; the cursor is saved once the page is committed
        template("vprotect-list", "direct:{{connection}}-backups-page")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setHeader(Exchange.HTTP_PATH, constant("/backups"))
                .setHeader(Exchange.HTTP_QUERY, simple("${exchangeProperty." + CURSOR
                        + ".query({{cursor-overlap-ms}})}&page=${exchangeProperty.backupsPage}"
                        + "&size={{page-size}}&orderBy=snapshotTime&direction=asc"))
                .to("direct:{{connection}}-get")
                .setProperty("backupsPage", method(VProtectPaging.class, "next"))
                .split(method(VProtectPaging.class, "items"))
                    .to("direct:{{connection}}-backup")
                .end()
                .process(exchange -> exchange.getProperty(CURSOR, VProtectCursor.class).pageCommitted());

        // one backup: nothing to do when unchanged since the last poll; otherwise its details are read
        template("vprotect-ingest", "direct:{{connection}}-backup")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .process(exchange -> {
                    SyncRun.of(exchange).seen();
                    JsonNode item = exchange.getMessage().getBody(JsonNode.class);
                    exchange.setProperty(RejectItem.ITEM_ID, item.path("guid").asText("?"));
                    exchange.setProperty(RejectItem.ITEM_JSON, item.toString());
                    exchange.setProperty("listFingerprint", Fingerprint.of(item));
                    exchange.setProperty(SNAPSHOT, item.path("snapshotTime").canConvertToLong()
                            ? item.path("snapshotTime").asLong() : null);
                })
                .doTry()
                    .setBody(exchange -> mapper(exchange).toCatalogBackup(exchange.getMessage().getBody(JsonNode.class),
                            exchange.getProperty("listFingerprint", String.class)))
                    .choice()
                        .when(method("catalog", "isCurrent"))
                            .process(exchange -> observe(exchange))
                        .otherwise()
                            .setHeader(Exchange.HTTP_PATH, simple("/backups/${body.providerBackupId()}"))
                            .removeHeader(Exchange.HTTP_QUERY)
                            .to("direct:{{connection}}-get")
                            .setBody(exchange -> mapper(exchange).toCatalogBackup(exchange.getMessage().getBody(JsonNode.class),
                                    exchange.getProperty("listFingerprint", String.class)))
                            .to(CatalogIngestRoute.ENDPOINT)
                            .process(exchange -> observe(exchange))
                    .end()
                .endDoTry()
                .doCatch(ProviderDataException.class, JsonProcessingException.class)
                    .process(new RejectItem())
                    .process(exchange -> holdForRetry(exchange,
                            Integer.parseInt(Connections.current(exchange).setting("reject-retries"))))
                .doCatch(Exception.class)
                    .process(exchange -> SyncRun.itemFailed(exchange, exchange.getProperty(RejectItem.ITEM_ID, String.class)))
                    .process(exchange -> holdForRetry(exchange, Integer.MAX_VALUE))
                .end();

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
        reloginOn401(template("vprotect-http", "direct:{{connection}}-get"), relogin, reloginRepeats)
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*", Exchange.HTTP_PATH, Exchange.HTTP_QUERY)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant(null))
                .to("direct:{{connection}}-budget")
                .unmarshal().json(JsonNode.class);

        // a backup's warnings were notified: acknowledged back to vProtect when the connection's acknowledge-warnings
        // is true (a side step of the notification: a failure is logged by the caller, never fails anything)
        reloginOn401(template("vprotect-acknowledge-warnings", "direct:{{connection}}-warnings-notified"), relogin,
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

        // the fan-out's source: the backup's details as the manifest record (the API offers no download of files)
        template("vprotect-open-record", "direct:{{connection}}-open-record")
                .routeConfigurationId("fanout-attempt")
                .setHeader(Exchange.HTTP_PATH, simple("/backups/${exchangeProperty.hubCopy.providerBackupId()}"))
                .to("direct:{{connection}}-get")
                .bean(VProtectManifest.class, "toContent");
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

    private static VProtectBackupMapper mapper(Exchange exchange) {
        Connection connection = Connections.current(exchange);
        return new VProtectBackupMapper(connection.customer(), connection.name());
    }

    /**
     * A backup that could not be ingested holds the cursor, so the next poll reads it again: always when the
     * provider failed, and for a few polls when its data was rejected (a garbled answer heals by itself);
     * after that the cursor moves on and the item waits in ingest_rejects for an operator.
     */
    private static void holdForRetry(Exchange exchange, int maxRetries) {
        Long snapshot = exchange.getProperty(SNAPSHOT, Long.class);
        if (snapshot != null && exchange.getProperty(RejectItem.ATTEMPTS, 0, Integer.class) < maxRetries) {
            exchange.getProperty(CURSOR, VProtectCursor.class).holdAt(snapshot);
        }
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

    private static void observe(Exchange exchange) {
        exchange.getProperty(CURSOR, VProtectCursor.class).observe(exchange.getMessage().getBody(CatalogBackup.class));
    }

    private static Catalog catalog(Exchange exchange) {
        return exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
    }
}
