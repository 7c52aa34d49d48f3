package io.backuphub.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.backuphub.catalog.Catalog;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.support.ExchangeHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Called from an item route's doCatch: keeps the item the hub could not ingest in the catalog's rejects
 * (with its payload and reason), logs one line with source, route and item, and lets the sync go on.
 */
public class RejectItem implements Processor {

    /** Exchange property with the provider's id of the item being ingested. */
    public static final String ITEM_ID = "backupHubItemId";
    /** Exchange property set here: how many times the item has been rejected so far. */
    public static final String ATTEMPTS = "backupHubRejectAttempts";
    /** Exchange property with the item's raw JSON, kept with a reject. */
    public static final String ITEM_JSON = "backupHubItemJson";

    private static final Logger LOG = LoggerFactory.getLogger(RejectItem.class);

    private final String source;

    /** Rejects for the connection the route works for ({@link Connection#PROPERTY}). */
    public RejectItem() {
        this(null);
    }

    public RejectItem(String source) {
        this.source = source;
    }

    @Override
    public void process(Exchange exchange) {
        String source = this.source != null ? this.source : Connections.current(exchange).name();
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String routeId = exchange.getProperty(ExchangePropertyKey.FAILURE_ROUTE_ID, String.class);
        if (routeId == null) {
            routeId = exchange.getFromRouteId();
        }
        String itemId;
        String reason;
        String payload;
        if (failure instanceof ProviderDataException bad) {
            itemId = bad.itemId();
            reason = bad.getMessage();
            payload = bad.payload();
        } else {
            itemId = exchange.getProperty(ITEM_ID, "?", String.class);
            reason = failure instanceof JsonProcessingException json
                    ? "malformed JSON: " + json.getOriginalMessage()
                    : ProviderFailures.describe(source, failure);
            payload = exchange.getProperty(ITEM_JSON, String.class);
        }
        exchange.setProperty(ATTEMPTS, keep(exchange, source, routeId, itemId, reason, payload));
    }

    /**
     * Keeps one item of a page the hub could not place (the page's other items go on), counted in the sync.
     *
     * @return how many times this item has been rejected so far
     */
    public static int reject(Exchange exchange, ProviderDataException bad, String itemId, String payload) {
        return keep(exchange, Connections.current(exchange).name(), ExchangeHelper.getAtRouteId(exchange),
                bad.itemId() == null || "?".equals(bad.itemId()) ? itemId : bad.itemId(), bad.getMessage(),
                bad.payload() != null ? bad.payload() : payload);
    }

    private static int keep(Exchange exchange, String source, String routeId, String itemId, String reason,
                            String payload) {
        int attempts = exchange.getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class)
                .reject(source, itemId, routeId, reason, payload);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run != null) {
            run.rejected();
        }
        LOG.warn("source={} route={} item={} rejected (attempt {}), kept in ingest_rejects: {}", source, routeId, itemId,
                attempts, reason);
        return attempts;
    }
}
