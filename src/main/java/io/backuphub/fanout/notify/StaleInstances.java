package io.backuphub.fanout.notify;

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
import io.backuphub.catalog.CatalogJdbi;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.quartz.CronExpression;

/**
 * Finds instances with no successful backup within twice their backup frequency ({@code staleInstances} in
 * the registry) and raises {@code instance.stale} once per stale spell (until a new backup arrives).
 * Instances without a frequency, or with {@code manual}, are never stale.
 */
public class StaleInstances {

    private static final RowMapper<Watched> WATCHED = ConstructorMapper.of(Watched.class);

    private final Jdbi jdbi;
    private final NotifyEvents events;
    private final Clock clock;

    public StaleInstances(Catalog catalog, NotifyEvents events, Clock clock) {
        this.jdbi = CatalogJdbi.of(catalog);
        this.events = events;
        this.clock = clock;
    }

    /** The events of instances that became stale since the last check. */
    public List<Map<String, Object>> check() {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        List<Map<String, Object>> raised = new ArrayList<>();
        for (Watched instance : instances()) {
            Optional<Duration> every = interval(instance.backupFrequency());
            OffsetDateTime last = instance.lastBackupAt();
            OffsetDateTime since = last != null ? last : instance.createdAt();
            if (every.isEmpty() || !since.plus(every.get().multipliedBy(2)).isBefore(now)) {
                continue;
            }
            String key = NotifyEvents.INSTANCE_STALE + ":" + instance.id() + ":"
                    + (last == null ? "never" : last.toInstant().toEpochMilli());
            Map<String, Object> event = events.raise(NotifyEvents.INSTANCE_STALE, key, instance.fields());
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

    private List<Watched> instances() {
        return jdbi.withHandle(h -> h.createQuery("SELECT i.id, i.name, i.provider, i.backup_frequency, "
                        + "i.last_backup_at, i.created_at, cu.name AS customer FROM backup_instances i "
                        + "JOIN customers cu ON cu.id = i.customer_id "
                        + "WHERE i.backup_frequency IS NOT NULL AND i.status = 'active' ORDER BY i.id")
                .map(WATCHED)
                .list());
    }

    /** An active instance with a backup frequency, and when it last backed up. */
    private record Watched(long id, String name, String provider, String backupFrequency, OffsetDateTime lastBackupAt,
                           OffsetDateTime createdAt, String customer) {
        Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("customer", customer);
            fields.put("backup_instance_id", id);
            fields.put("backup_instance_name", name);
            fields.put("provider", provider);
            fields.put("backup_frequency", backupFrequency);
            fields.put("last_backup_at", lastBackupAt == null ? null : lastBackupAt.toString());
            return fields;
        }
    }
}
