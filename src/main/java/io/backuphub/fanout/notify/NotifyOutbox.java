package io.backuphub.fanout.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import io.backuphub.catalog.Lease;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification outbox ({@code notifyOutbox} in the registry): the table {@code notification_deliveries},
 * one row per (event, channel), filled when an event is raised ({@link NotifyEvents#raise}). Each channel's
 * route in routes/notify.yaml claims its due deliveries with a lease ({@link #claim}), and {@link #deliver}
 * sends each batch (events of one type) through the channel's send route and records the outcome: delivered,
 * or pending again with its attempts, next attempt time and last error. A node releases its own claims when
 * it starts, so deliveries a kill interrupted are sent again at once: at least once, with the event's stable
 * {@code id} for receivers to drop the rare repeat.
 */
public class NotifyOutbox {

    private static final Logger LOG = LoggerFactory.getLogger("io.backuphub.notify");

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    /** Fields of a stored event kept for delivery only (e.g. the base URL of a download link), never sent. */
    public static final String PRIVATE_PREFIX = "_";
    /** Exchange property a channel's send route sets when it gives up on a message: why, without any address. */
    public static final String FAILURE = "hubNotifyFailure";
    private static final int MAX_ERROR = 2000;

    /** One message to a channel: events of one type, and the deliveries they are. */
    public record Batch(String channel, String event, List<Long> deliveryIds, List<Map<String, Object>> events,
                        int attempts) {
    }

    private static final RowMapper<Claimed> CLAIMED = ConstructorMapper.of(Claimed.class);

    private final Jdbi jdbi;
    private final Lease leases;
    private final NotifyChannels channels;
    private final Clock clock;
    private final int batchMax;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;
    private final Map<String, UnaryOperator<Map<String, Object>>> finishers = new ConcurrentHashMap<>();
    private volatile ProducerTemplate template;

    public NotifyOutbox(Catalog catalog, NotifyChannels channels, Clock clock, String node,
                        Duration lease, int batchMax, Duration retryDelay, Duration maxRetryDelay) {
        this.jdbi = CatalogJdbi.of(catalog);
        this.channels = channels;
        this.clock = clock;
        this.batchMax = Math.max(1, batchMax);
        this.leases = new Lease("notification_deliveries",
                "channel = :channel AND status = :pending AND next_attempt_at <= :now", "id", node, lease);
        this.retryDelay = retryDelay;
        this.maxRetryDelay = maxRetryDelay;
    }

    /**
     * Completes events of one type as they leave (e.g. {@code export.ready} gets a freshly signed download link,
     * which is never stored); fields starting with {@code _} are removed after it.
     */
    public void finishing(String type, UnaryOperator<Map<String, Object>> finisher) {
        finishers.put(type, finisher);
    }

    /**
     * Claims this channel's due deliveries (at most {@code hub.notify.batch-max}) for this node with a lease,
     * as batches of one event type each, oldest first. A channel that is off claims nothing.
     */
    public List<Batch> claim(String channel) {
        if (!channels.channel(channel).on()) {
            return List.of();
        }
        OffsetDateTime now = now();
        Map<String, Batch> byType = new LinkedHashMap<>();
        List<Claimed> claimed = jdbi.inTransaction(h -> {
            List<Long> ids = leases.claim(h, batchMax, now, "updated_at = :now", update -> update
                    .bind("channel", channel)
                    .bind("pending", PENDING));
            return ids.isEmpty() ? List.<Claimed>of() : h.createQuery("SELECT d.id, d.event, d.attempts, n.payload "
                            + "FROM notification_deliveries d JOIN notifications n ON n.event_key = d.event_key "
                            + "WHERE d.id IN (<ids>) ORDER BY d.id")
                    .bindList("ids", ids)
                    .map(CLAIMED)
                    .list();
        });
        for (Claimed delivery : claimed) {
            Batch batch = byType.get(delivery.event());
            int attempts = Math.max(delivery.attempts(), batch == null ? 0 : batch.attempts());
            List<Long> ids = batch == null ? new ArrayList<>() : batch.deliveryIds();
            List<Map<String, Object>> events = batch == null ? new ArrayList<>() : batch.events();
            ids.add(delivery.id());
            events.add(delivery.payload());
            byType.put(delivery.event(), new Batch(channel, delivery.event(), ids, events, attempts));
        }
        return List.copyOf(byType.values());
    }

    /** A delivery this node claimed, with its event as stored. */
    private record Claimed(long id, String event, int attempts, Map<String, Object> payload) {
    }

    /**
     * Sends one claimed batch through its channel's send route ({@code direct:notify-<channel>-send}, with its
     * own redeliveries) and records the outcome: delivered, or pending again after a back-off.
     */
    public void deliver(Exchange exchange) throws InvalidPayloadException {
        Batch batch = exchange.getMessage().getMandatoryBody(Batch.class);
        List<Map<String, Object>> events = batch.events().stream().map(this::finish).toList();
        Exchange sent = template(exchange).send(channels.channel(batch.channel()).sendUri(),
                e -> e.getMessage().setBody(new ArrayList<>(events)));
        String failure = failure(sent);
        if (failure == null) {
            delivered(batch);
            LOG.info("{}: delivered {} {} event(s) {}", batch.channel(), events.size(), batch.event(),
                    events.size() == 1 ? events.get(0).get("id") : "");
        } else if (exchange.getContext().isStopping()) {
            release(batch); // cut off by a stop: not an attempt, sent again on the next start (or by another node)
        } else {
            String reason = failure;
            Duration wait = failed(batch, reason);
            LOG.warn("{}: {} {} event(s) not delivered ({}); next attempt in {} s", batch.channel(), events.size(),
                    batch.event(), reason, wait.toSeconds());
        }
    }

    /**
     * Why the send route failed, or null when it delivered. A failure its error handler gave up on is handled
     * (no exception on the exchange): routes/notify.yaml's {@code notify-errors} then sets {@link #FAILURE}.
     */
    private static String failure(Exchange sent) {
        if (sent.getException() != null) {
            return NotifyMessages.describe(sent.getException());
        }
        return sent.getProperty(FAILURE, String.class);
    }

    /** Gives back this node's claims, so deliveries a kill interrupted are sent again at once on restart. */
    public int releaseClaims() {
        return jdbi.withHandle(h -> leases.release(h, "status = :pending", Map.of("pending", PENDING), null, ""));
    }

    /** Deliveries not taken yet by their channel (to send, or failing and waiting for their next attempt). */
    public long pending() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM notification_deliveries WHERE status = :pending")
                .bind("pending", PENDING)
                .mapTo(Long.class)
                .one());
    }

    void delivered(Batch batch) {
        update(batch, "status = :delivered, attempts = attempts + 1, last_error = NULL, claimed_by = NULL, "
                + "claimed_until = NULL, delivered_at = :now, updated_at = :now", Map.of("delivered", DELIVERED,
                "now", now()));
    }

    Duration failed(Batch batch, String reason) {
        Duration wait = retryDelay.multipliedBy(1L << Math.min(batch.attempts(), 20));
        if (wait.compareTo(maxRetryDelay) > 0 || wait.isNegative()) {
            wait = maxRetryDelay;
        }
        OffsetDateTime now = now();
        update(batch, "attempts = attempts + 1, last_error = :reason, next_attempt_at = :next, claimed_by = NULL, "
                + "claimed_until = NULL, updated_at = :now", Map.of("reason", reason.length() > MAX_ERROR
                ? reason.substring(0, MAX_ERROR) : reason, "next", now.plus(wait), "now", now));
        return wait;
    }

    void release(Batch batch) {
        update(batch, "claimed_by = NULL, claimed_until = NULL, updated_at = :now", Map.of("now", now()));
    }

    private void update(Batch batch, String set, Map<String, Object> values) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE notification_deliveries SET " + set
                        + " WHERE status = :pendingNow AND id IN (<ids>)")
                .bindMap(values)
                .bind("pendingNow", PENDING)
                .bindList("ids", batch.deliveryIds())
                .execute());
    }

    /** The event as it leaves: completed by its type's finisher, without the fields kept for delivery only. */
    private Map<String, Object> finish(Map<String, Object> stored) {
        Map<String, Object> event = new LinkedHashMap<>(stored);
        UnaryOperator<Map<String, Object>> finisher = finishers.get(String.valueOf(event.get("event")));
        if (finisher != null) {
            try {
                event = finisher.apply(event);
            } catch (RuntimeException e) {
                LOG.warn("event {}: cannot be completed ({}); sent as stored", event.get("id"), e.getMessage());
            }
        }
        event.keySet().removeIf(k -> k.startsWith(PRIVATE_PREFIX));
        return event;
    }

    private ProducerTemplate template(Exchange exchange) {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = exchange.getContext().createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    private OffsetDateTime now() {
        // milliseconds: stored alike in H2 and PostgreSQL
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
