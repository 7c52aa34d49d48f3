package io.backuphub.provider.vprotect;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;
import io.backuphub.catalog.CatalogIngestRoute;
import io.backuphub.catalog.InstanceSource;
import io.backuphub.provider.InstanceSyncRoute;
import io.backuphub.provider.Fingerprint;
import io.backuphub.provider.ProviderBudget;
import io.backuphub.provider.ProviderDataException;
import io.backuphub.provider.ProviderFailures;
import io.backuphub.provider.ProviderObjects;
import io.backuphub.provider.ProviderRoutes;
import io.backuphub.provider.ProviderSyncErrors;
import io.backuphub.provider.RejectItem;
import io.backuphub.provider.SourceSwitch;
import io.backuphub.provider.SyncRun;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.cookie.BasicCookieStore;

import static io.backuphub.provider.vprotect.VProtectBackupMapper.SOURCE;

/**
 * Polls vProtect's Backups Controller on a Quartz cron: logs in (session cookie), lists backups from the
 * stored cursor page by page (0-based, {@code X-Total-Count}), and reads the details of every backup that
 * is new or changed since the last poll.
 */
public class VProtectRoutes extends ProviderRoutes {

    private static final String CURSOR = "vprotectCursor";
    private static final String CHECK_KEYS = "vprotectCheckKeys";
    private static final String SNAPSHOT = "vprotectSnapshotTime";
    private static final String ENDPOINT = "{{hub.vprotect.base-url}}?cookieStore=#vprotectCookieStore";

    @Override
    public void configure() throws Exception {
        if (!SourceSwitch.isOn(getContext(), SOURCE, List.of("hub.vprotect.username", "hub.vprotect.password"))) {
            return;
        }
        getContext().getRegistry().bind("vprotectCookieStore", new BasicCookieStore());
        VProtectBackupMapper mapper = new VProtectBackupMapper(
                getContext().resolvePropertyPlaceholders("{{hub.vprotect.customer}}"));
        ProducerTemplate relogin = getContext().createProducerTemplate();
        int maxRejectRetries = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{hub.vprotect.reject-retries}}"));

        // an expired session answers 401: log in again and repeat the call. Camel counts the attempts of a call
        // over every kind of failure, so a 401 after a retried 5xx must still get its new login: up to as many
        // repeats as a transient failure gets (at least one)
        int reloginRepeats = Math.max(1, Integer.parseInt(
                getContext().resolvePropertyPlaceholders("{{hub.http.max-redeliveries}}")) + 1);
        onException(HttpOperationFailedException.class)
                .onWhen(exchange -> ProviderFailures.isUnauthorized(exchange.getException())
                        && !"/session/login".equals(exchange.getMessage().getHeader(Exchange.HTTP_PATH)))
                .maximumRedeliveries(reloginRepeats)
                .redeliveryDelay(0)
                .onRedelivery(exchange -> relogin.sendBody("direct:vprotect-login", null))
                .logExhausted(false);

        // every vProtect call goes through the account's request budget
        ProviderBudget.route(this, SOURCE, ENDPOINT);

        from("quartz:backuphub/vprotect-poll?cron={{hub.vprotect.schedule}}&stateful=true")
                .routeId("vprotect-poll")
                .to("direct:vprotect-sync");

        syncRoute("direct:vprotect-sync", "vprotect-sync", exchange -> {
            SyncRun.start(exchange, SOURCE);
            exchange.setProperty(CURSOR, VProtectCursor.load(catalog(exchange)));
        }, "direct:vprotect-backups");

        // one instance (protected entity): its backups from the cursor; the shared cursor is left as it is
        syncRoute("direct:vprotect-instance-sync", "vprotect-instance-sync", exchange -> {
            InstanceSource instance = InstanceSyncRoute.source(exchange);
            SyncRun.startInstance(exchange, SOURCE, instance.instanceId());
            exchange.setProperty(CURSOR, VProtectCursor.load(catalog(exchange))
                    .forEntity(instance.key("protected_entity_guid")));
        }, "direct:vprotect-backups");

        // log in, then every page from the cursor
        from("direct:vprotect-backups").routeId("vprotect-backups")
                .to("direct:vprotect-login")
                .setProperty("backupsPage", constant(0))
                .loopDoWhile(exchangeProperty("backupsPage").isNotNull())
                    .to("direct:vprotect-backups-page")
                .end();

        from("direct:vprotect-login").routeId("vprotect-login")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.HTTP_PATH, constant("/session/login"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(exchange -> Map.of(
                        "login", exchange.getContext().resolvePropertyPlaceholders("{{hub.vprotect.username}}"),
                        "password", exchange.getContext().resolvePropertyPlaceholders("{{hub.vprotect.password}}")))
                .marshal().json()
                .to(ProviderBudget.endpoint(SOURCE))
                .setBody(constant(null));

        // one page of backups, oldest first from the cursor; the cursor is saved once the page is committed
        from("direct:vprotect-backups-page").routeId("vprotect-list")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setHeader(Exchange.HTTP_PATH, constant("/backups"))
                .setHeader(Exchange.HTTP_QUERY, simple("${exchangeProperty." + CURSOR
                        + ".query({{hub.vprotect.cursor-overlap-ms}})}&page=${exchangeProperty.backupsPage}"
                        + "&size={{hub.vprotect.page-size}}&orderBy=snapshotTime&direction=asc"))
                .to("direct:vprotect-get")
                .setProperty("backupsPage", method(VProtectPaging.class, "next"))
                .split(method(VProtectPaging.class, "items"))
                    .to("direct:vprotect-backup")
                .end()
                .process(exchange -> exchange.getProperty(CURSOR, VProtectCursor.class).pageCommitted());

        // one backup: nothing to do when unchanged since the last poll; otherwise its details are read
        from("direct:vprotect-backup").routeId("vprotect-ingest")
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
                    .setBody(exchange -> mapper.toCatalogBackup(exchange.getMessage().getBody(JsonNode.class),
                            exchange.getProperty("listFingerprint", String.class)))
                    .choice()
                        .when(method("catalog", "isCurrent"))
                            .process(exchange -> observe(exchange))
                        .otherwise()
                            .setHeader(Exchange.HTTP_PATH, simple("/backups/${body.providerBackupId()}"))
                            .removeHeader(Exchange.HTTP_QUERY)
                            .to("direct:vprotect-get")
                            .setBody(exchange -> mapper.toCatalogBackup(exchange.getMessage().getBody(JsonNode.class),
                                    exchange.getProperty("listFingerprint", String.class)))
                            .to(CatalogIngestRoute.ENDPOINT)
                            .process(exchange -> observe(exchange))
                    .end()
                .endDoTry()
                .doCatch(ProviderDataException.class, JsonProcessingException.class)
                    .process(new RejectItem(SOURCE))
                    .process(exchange -> holdForRetry(exchange, maxRejectRetries))
                .doCatch(Exception.class)
                    .process(exchange -> SyncRun.itemFailed(exchange, exchange.getProperty(RejectItem.ITEM_ID, String.class)))
                    .process(exchange -> holdForRetry(exchange, Integer.MAX_VALUE))
                .end();

        // registration: does vProtect have this protected entity? The Backups Controller answers with its backups
        // (protected-entity filter); one is enough, and tells the entity's type
        from(ProviderObjects.endpoint(SOURCE)).routeId(ProviderObjects.routeId(SOURCE))
                .routeConfigurationId(ProviderSyncErrors.ID)
                .setProperty(CHECK_KEYS, body())
                .to("direct:vprotect-login")
                .setHeader(Exchange.HTTP_PATH, constant("/backups"))
                .setHeader(Exchange.HTTP_QUERY, simple("protected-entity=${exchangeProperty." + CHECK_KEYS
                        + "[protected_entity_guid]}&page=0&size=1"))
                .to("direct:vprotect-get")
                .setBody(VProtectRoutes::entityAnswer);

        // the one place that reads from vProtect: session cookie, JSON, no stray headers sent on
        from("direct:vprotect-get").routeId("vprotect-http")
                .routeConfigurationId(ProviderSyncErrors.ID)
                .removeHeaders("*", Exchange.HTTP_PATH, Exchange.HTTP_QUERY)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant(null))
                .to(ProviderBudget.endpoint(SOURCE))
                .unmarshal().json(JsonNode.class);
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
