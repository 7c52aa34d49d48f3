package io.backuphub.schedule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.component.quartz.QuartzHelper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each instance's own schedule: a Quartz job ({@link InstanceSyncJob}) and cron trigger {@code
 * backuphub-instances/instance-<id>} in the shared job store, scheduled, rescheduled and deleted through Quartz's
 * API. A new {@code backup_frequency} takes effect at once on every node; {@code manual} deletes the job; a restart
 * re-creates nothing (the store has the jobs, and their missed fire times).
 */
public class InstanceSchedules {

    public static final String GROUP = "backuphub-instances";
    private static final Logger LOG = LoggerFactory.getLogger(InstanceSchedules.class);

    private final CamelContext context;

    public InstanceSchedules(CamelContext context) {
        this.context = context;
    }

    public static JobKey jobKey(long instanceId) {
        return JobKey.jobKey("instance-" + instanceId, GROUP);
    }

    public static TriggerKey triggerKey(long instanceId) {
        return TriggerKey.triggerKey("instance-" + instanceId, GROUP);
    }

    /** Runs the instance on this frequency from now on (replacing its schedule), or on none for manual. */
    public synchronized void apply(long instanceId, Frequency frequency) {
        Optional<String> cron = frequency.quartzCron(instanceId);
        try {
            Scheduler scheduler = scheduler();
            Optional<Trigger> trigger = cron.flatMap(c -> trigger(instanceId, c));
            if (trigger.isPresent()) {
                // job and trigger replaced in one transaction of the store
                scheduler.scheduleJob(job(instanceId), Set.of(trigger.get()), true);
            } else {
                scheduler.deleteJob(jobKey(instanceId));
            }
            LOG.info("instance {}: schedule {}", instanceId, trigger.isPresent() ? "now '" + cron.get() + "'"
                    : cron.map(c -> "removed ('" + c + "' fires no more)").orElse("removed (manual)"));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot change the schedule of instance " + instanceId, e);
        }
    }

    /** The cron the instance's job runs on, as the job store has it; empty when it has no job. */
    public Optional<String> cron(long instanceId) {
        try {
            return Optional.ofNullable(scheduler().getTrigger(triggerKey(instanceId)))
                    .filter(CronTrigger.class::isInstance)
                    .map(t -> ((CronTrigger) t).getCronExpression());
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot read the schedule of instance " + instanceId, e);
        }
    }

    /**
     * Schedules the instances that have a schedule in the catalog but no job in the store. That is the case once,
     * on the first start of a hub that kept its schedules in memory (before the job store); afterwards the store
     * has every job and this finds none to make. Other nodes starting at the same time may make one first.
     */
    void createMissing(Scheduler scheduler, Catalog catalog) throws SchedulerException {
        for (Map.Entry<Long, String> stored : stored(catalog).entrySet()) {
            long instanceId = stored.getKey();
            if (scheduler.checkExists(jobKey(instanceId))) {
                continue;
            }
            Optional<Trigger> trigger = trigger(instanceId, stored.getValue());
            if (trigger.isPresent()) {
                try {
                    scheduler.scheduleJob(job(instanceId), trigger.get());
                    LOG.info("instance {}: schedule '{}' added to the job store", instanceId, stored.getValue());
                } catch (ObjectAlreadyExistsException madeByAnotherNode) {
                    // another node made it a moment ago
                }
            }
        }
    }

    private JobDetail job(long instanceId) {
        JobDetail job = JobBuilder.newJob(InstanceSyncJob.class).withIdentity(jobKey(instanceId))
                .usingJobData(InstanceSyncJob.INSTANCE_ID, instanceId)
                .build();
        job.getJobDataMap().put(QuartzConstants.QUARTZ_CAMEL_CONTEXT_NAME, QuartzHelper.getQuartzContextName(context));
        return job;
    }

    /**
     * The instance's cron trigger; a slot missed (the cluster was down) fires once when the store sees it, however
     * many slots were missed. Empty for a cron with no fire time to come (a year gone by): Quartz refuses those.
     */
    private static Optional<Trigger> trigger(long instanceId, String cron) {
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey(instanceId)).forJob(jobKey(instanceId))
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionFireAndProceed())
                .build();
        return ((OperableTrigger) trigger).computeFirstFireTime(null) == null ? Optional.empty() : Optional.of(trigger);
    }

    private Scheduler scheduler() {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        if (scheduler == null) {
            throw new IllegalStateException("the Quartz scheduler has not started");
        }
        return scheduler;
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
