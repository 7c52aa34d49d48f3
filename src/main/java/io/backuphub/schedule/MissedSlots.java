package io.backuphub.schedule;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import io.backuphub.catalog.Catalog;
import io.backuphub.provider.Connection;
import io.backuphub.provider.Connections;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.CronExpression;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slots missed while the hub was down run once at start-up, not once per missed slot: for every connection
 * and every instance with a schedule, if a slot of its cron fell between its last recorded sync and now,
 * one sync runs. The history is the catalog's {@code sync_runs}, so it holds across restarts and nodes.
 */
public class MissedSlots extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(MissedSlots.class);

    @Override
    public void configure() {
        Instant started = Instant.now();
        from("timer:schedule-catch-up?repeatCount=1&delay={{hub.schedule.catch-up-delay-ms}}")
                .routeId("schedule-catch-up")
                .process(exchange -> catchUp(exchange.getContext(), started));
    }

    /**
     * Fires the missed jobs through Quartz itself, so a catch-up never runs beside a scheduled run of the
     * same job (the jobs disallow concurrent execution).
     */
    private static void catchUp(CamelContext context, Instant started) throws SchedulerException {
        Catalog catalog = context.getRegistry().lookupByNameAndType("catalog", Catalog.class);
        Scheduler quartz = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        for (Connection connection : Connections.of(context).on()) {
            String source = connection.name();
            if (context.getRoute(source + "-poll") == null) {
                continue;
            }
            String cron = connection.setting("schedule");
            if (missed(cron, lastRun(catalog, source, "all"), started)) {
                LOG.info("source={} missed a scheduled poll while the hub was down: polling once now", source);
                quartz.triggerJob(new JobKey(source + "-poll", "backuphub"));
            }
        }
        for (Scheduled instance : scheduledInstances(catalog)) {
            Optional<String> cron = Frequency.parse(instance.frequency()).quartzCron(instance.id());
            if (cron.isPresent() && missed(cron.get(), lastRun(catalog, null, "instance:" + instance.id()), started)) {
                LOG.info("instance={} missed a scheduled sync while the hub was down: syncing once now", instance.id());
                quartz.triggerJob(new JobKey("instance-" + instance.id(), "backuphub-instances"));
            }
        }
    }

    /**
     * Whether a slot of the cron fell after the last run and before this hub started (while it was down);
     * never for a hub that never ran.
     */
    static boolean missed(String cron, Optional<Instant> lastRun, Instant started) {
        if (lastRun.isEmpty()) {
            return false;
        }
        try {
            Date next = new CronExpression(cron).getNextValidTimeAfter(Date.from(lastRun.get()));
            return next != null && next.toInstant().isBefore(started);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a Quartz cron: " + cron, e);
        }
    }

    private static Optional<Instant> lastRun(Catalog catalog, String source, String scope) {
        return catalog.inTransaction(c -> {
            String sql = "SELECT MAX(started_at) FROM sync_runs WHERE scope = ?" + (source == null ? "" : " AND source = ?");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, scope);
                if (source != null) {
                    ps.setString(2, source);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    Timestamp last = rs.next() ? rs.getTimestamp(1) : null;
                    return Optional.ofNullable(last).map(Timestamp::toInstant);
                }
            }
        });
    }

    private record Scheduled(long id, String frequency) {
    }

    private static List<Scheduled> scheduledInstances(Catalog catalog) {
        return catalog.inTransaction(c -> {
            List<Scheduled> scheduled = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, backup_frequency FROM backup_instances "
                    + "WHERE backup_frequency IS NOT NULL AND backup_frequency <> 'manual'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scheduled.add(new Scheduled(rs.getLong(1), rs.getString(2)));
                }
            }
            return scheduled;
        });
    }
}
