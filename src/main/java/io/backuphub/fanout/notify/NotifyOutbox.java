package io.backuphub.fanout.notify;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;
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

    private final Catalog catalog;
    private final NotifyChannels channels;
    private final ObjectMapper json;
    private final Clock clock;
    private final String node;
    private final Duration lease;
    private final int batchMax;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;
    private final Map<String, UnaryOperator<Map<String, Object>>> finishers = new ConcurrentHashMap<>();
    private volatile ProducerTemplate template;

    public NotifyOutbox(Catalog catalog, NotifyChannels channels, ObjectMapper json, Clock clock, String node,
                        Duration lease, int batchMax, Duration retryDelay, Duration maxRetryDelay) {
        this.catalog = catalog;
        this.channels = channels;
        this.json = json;
        this.clock = clock;
        this.node = node;
        this.lease = lease;
        this.batchMax = Math.max(1, batchMax);
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
        OffsetDateTime until = now.plus(lease);
        Map<String, Batch> byType = new LinkedHashMap<>();
        catalog.inTransaction(c -> {
            List<Long> due = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM notification_deliveries WHERE channel = ? AND status = ? AND next_attempt_at <= ? "
                            + "AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id FETCH FIRST " + batchMax
                            + " ROWS ONLY")) {
                ps.setString(1, channel);
                ps.setString(2, PENDING);
                ps.setObject(3, now);
                ps.setObject(4, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(rs.getLong(1));
                    }
                }
            }
            if (due.isEmpty()) {
                return 0;
            }
            String marks = String.join(", ", Collections.nCopies(due.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE notification_deliveries SET claimed_by = ?, claimed_until = ?, updated_at = ? WHERE id IN ("
                            + marks + ") AND status = ? AND (claimed_until IS NULL OR claimed_until < ?)")) {
                int p = 1;
                ps.setString(p++, node);
                ps.setObject(p++, until);
                ps.setObject(p++, now);
                for (long id : due) {
                    ps.setLong(p++, id);
                }
                ps.setString(p++, PENDING);
                ps.setObject(p, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT d.id, d.event, d.attempts, n.payload FROM notification_deliveries d "
                            + "JOIN notifications n ON n.event_key = d.event_key WHERE d.id IN (" + marks + ") "
                            + "AND d.claimed_by = ? AND d.claimed_until = ? ORDER BY d.id")) {
                int p = 1;
                for (long id : due) {
                    ps.setLong(p++, id);
                }
                ps.setString(p++, node);
                ps.setObject(p, until);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(2);
                        Batch batch = byType.get(type);
                        int attempts = Math.max(rs.getInt(3), batch == null ? 0 : batch.attempts());
                        List<Long> ids = batch == null ? new ArrayList<>() : batch.deliveryIds();
                        List<Map<String, Object>> events = batch == null ? new ArrayList<>() : batch.events();
                        ids.add(rs.getLong(1));
                        events.add(read(rs.getString(4)));
                        byType.put(type, new Batch(channel, type, ids, events, attempts));
                    }
                }
            }
            return due.size();
        });
        return List.copyOf(byType.values());
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
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification_deliveries SET claimed_by = NULL, "
                    + "claimed_until = NULL WHERE claimed_by = ? AND status = ?")) {
                ps.setString(1, node);
                ps.setString(2, PENDING);
                return ps.executeUpdate();
            }
        });
    }

    /** Deliveries not taken yet by their channel (to send, or failing and waiting for their next attempt). */
    public long pending() {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM notification_deliveries WHERE status = ?")) {
                ps.setString(1, PENDING);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    void delivered(Batch batch) {
        OffsetDateTime now = now();
        update(batch, "status = ?, attempts = attempts + 1, last_error = NULL, claimed_by = NULL, "
                + "claimed_until = NULL, delivered_at = ?, updated_at = ?", DELIVERED, now, now);
    }

    Duration failed(Batch batch, String reason) {
        Duration wait = retryDelay.multipliedBy(1L << Math.min(batch.attempts(), 20));
        if (wait.compareTo(maxRetryDelay) > 0 || wait.isNegative()) {
            wait = maxRetryDelay;
        }
        OffsetDateTime now = now();
        update(batch, "attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = NULL, "
                + "claimed_until = NULL, updated_at = ?", reason.length() > MAX_ERROR ? reason.substring(0, MAX_ERROR)
                : reason, now.plus(wait), now);
        return wait;
    }

    void release(Batch batch) {
        update(batch, "claimed_by = NULL, claimed_until = NULL, updated_at = ?", now());
    }

    private void update(Batch batch, String set, Object... values) {
        catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notification_deliveries SET " + set
                    + " WHERE status = '" + PENDING + "' AND id IN ("
                    + String.join(", ", Collections.nCopies(batch.deliveryIds().size(), "?")) + ")")) {
                int p = 1;
                for (Object value : values) {
                    ps.setObject(p++, value);
                }
                for (long id : batch.deliveryIds()) {
                    ps.setLong(p++, id);
                }
                return ps.executeUpdate();
            }
        });
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

    private Map<String, Object> read(String payload) throws SQLException {
        try {
            return json.readValue(payload, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("a notification payload is not JSON: " + e.getOriginalMessage(), e);
        }
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
        // milliseconds: a lease is matched exactly on read-back, in H2 and PostgreSQL alike
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
