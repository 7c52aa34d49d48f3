package io.backuphub.schedule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import org.apache.camel.CamelContext;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds, replaces and removes the route that runs one instance's schedule, at run time and without a restart:
 * a new {@code backup_frequency} takes effect at once; {@code manual} removes the schedule.
 */
public class InstanceSchedules {

    public static final String TEMPLATE = "instance-schedule";
    private static final Logger LOG = LoggerFactory.getLogger(InstanceSchedules.class);

    private final CamelContext context;

    public InstanceSchedules(CamelContext context) {
        this.context = context;
    }

    public static String routeId(long instanceId) {
        return "instance-schedule-" + instanceId;
    }

    /** Runs the instance on this frequency from now on (replacing its schedule), or on none for manual. */
    public synchronized void apply(long instanceId, Frequency frequency) {
        String routeId = routeId(instanceId);
        try {
            if (context.getRoute(routeId) != null) {
                context.getRouteController().stopRoute(routeId);
                context.removeRoute(routeId);
            }
            Optional<String> cron = frequency.quartzCron(instanceId);
            if (cron.isPresent()) {
                TemplatedRouteBuilder.builder(context, TEMPLATE)
                        .routeId(routeId)
                        .parameter("instanceId", Long.toString(instanceId))
                        .parameter("cron", cron.get())
                        .add();
            }
            LOG.info("instance {}: schedule {}", instanceId, cron.map(c -> "now '" + c + "'").orElse("removed (manual)"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot change the schedule of instance " + instanceId, e);
        }
    }

    /** The Quartz cron of every instance with a schedule in the catalog, by instance id. */
    static Map<Long, String> stored(Catalog catalog) {
        Map<Long, String> crons = new LinkedHashMap<>();
        CatalogJdbi.of(catalog).withHandle(h -> h.createQuery("SELECT id, backup_frequency FROM backup_instances "
                        + "WHERE backup_frequency IS NOT NULL ORDER BY id")
                .map(ConstructorMapper.of(Scheduled.class))
                .list())
                .forEach(row -> addIfScheduled(crons, row.id(), row.backupFrequency()));
        return crons;
    }

    /** An instance's stored frequency. */
    private record Scheduled(long id, String backupFrequency) {
    }

    private static void addIfScheduled(Map<Long, String> crons, long instanceId, String stored) {
        try {
            Frequency.parse(stored).quartzCron(instanceId).ifPresent(cron -> crons.put(instanceId, cron));
        } catch (IllegalArgumentException e) {
            LOG.warn("instance {}: stored backup_frequency is not usable, no schedule: {}", instanceId, e.getMessage());
        }
    }
}
