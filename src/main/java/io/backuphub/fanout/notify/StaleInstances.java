package io.backuphub.fanout.notify;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.backuphub.catalog.Catalog;
import org.quartz.CronExpression;

/**
 * Finds instances with no successful backup within twice their backup frequency ({@code staleInstances} in
 * the registry) and raises {@code instance.stale} once per stale spell (until a new backup arrives).
 * Instances without a frequency, or with {@code manual}, are never stale.
 */
public class StaleInstances {

    private final Catalog catalog;
    private final NotifyEvents events;
    private final Clock clock;

    public StaleInstances(Catalog catalog, NotifyEvents events, Clock clock) {
        this.catalog = catalog;
        this.events = events;
        this.clock = clock;
    }

    /** The events of instances that became stale since the last check. */
    public List<Map<String, Object>> check() {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        List<Map<String, Object>> raised = new ArrayList<>();
        for (Map<String, Object> instance : instances()) {
            Optional<Duration> every = interval((String) instance.get("backup_frequency"));
            OffsetDateTime last = (OffsetDateTime) instance.remove("last");
            OffsetDateTime created = (OffsetDateTime) instance.remove("created");
            OffsetDateTime since = last != null ? last : created;
            if (every.isEmpty() || !since.plus(every.get().multipliedBy(2)).isBefore(now)) {
                continue;
            }
            instance.put("last_backup_at", last == null ? null : last.withOffsetSameInstant(ZoneOffset.UTC).toString());
            String key = NotifyEvents.INSTANCE_STALE + ":" + instance.get("backup_instance_id") + ":"
                    + (last == null ? "never" : last.toInstant().toEpochMilli());
            Map<String, Object> event = events.raise(NotifyEvents.INSTANCE_STALE, key, instance);
            if (event != null) {
                raised.add(event);
            }
        }
        return raised;
    }

    /** How often an instance is meant to back up: hourly, daily, weekly, or a Quartz cron; empty = manual. */
    static Optional<Duration> interval(String frequency) {
        if (frequency == null || frequency.isBlank()) {
            return Optional.empty();
        }
        switch (frequency.trim().toLowerCase(Locale.ROOT)) {
            case "manual":
                return Optional.empty();
            case "hourly":
                return Optional.of(Duration.ofHours(1));
            case "daily":
                return Optional.of(Duration.ofDays(1));
            case "weekly":
                return Optional.of(Duration.ofDays(7));
            default:
                try {
                    CronExpression cron = new CronExpression(frequency.trim());
                    Date first = cron.getNextValidTimeAfter(new Date());
                    Date second = first == null ? null : cron.getNextValidTimeAfter(first);
                    return second == null ? Optional.empty()
                            : Optional.of(Duration.ofMillis(second.getTime() - first.getTime()));
                } catch (ParseException e) {
                    return Optional.empty(); // not a schedule this check understands: never called stale
                }
        }
    }

    private List<Map<String, Object>> instances() {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT i.id, i.name, i.provider, i.backup_frequency, i.last_backup_at, i.created_at, cu.name "
                            + "FROM backup_instances i JOIN customers cu ON cu.id = i.customer_id "
                            + "WHERE i.backup_frequency IS NOT NULL AND i.status = 'active' ORDER BY i.id");
                 ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("customer", rs.getString(7));
                    row.put("backup_instance_id", rs.getLong(1));
                    row.put("backup_instance_name", rs.getString(2));
                    row.put("provider", rs.getString(3));
                    row.put("backup_frequency", rs.getString(4));
                    row.put("last", rs.getObject(5, OffsetDateTime.class));
                    row.put("created", rs.getObject(6, OffsetDateTime.class));
                    rows.add(row);
                }
                return rows;
            }
        });
    }
}
