package io.backuphub.ops.health;

import java.util.Map;

import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerMetaData;

/**
 * Liveness of the Quartz scheduler that fires every poll: started and not shut down. Without any
 * scheduled route there is no scheduler, and nothing to be dead. Its details say where the jobs live (the job
 * store, e.g. JobStoreTX: the catalog database) and whether this node is one of a Quartz cluster.
 */
public class SchedulerHealthCheck extends AbstractHealthCheck {

    public SchedulerHealthCheck() {
        super("backuphub", "scheduler");
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        QuartzComponent quartz = (QuartzComponent) getCamelContext().hasComponent("quartz");
        Scheduler scheduler = quartz == null ? null : quartz.getScheduler();
        if (scheduler == null) {
            builder.up().detail("scheduler", "none").message("no scheduled routes");
            return;
        }
        try {
            builder.detail("scheduler", scheduler.getSchedulerName());
            SchedulerMetaData meta = scheduler.getMetaData();
            builder.detail("job_store", meta.getJobStoreClass().getSimpleName());
            builder.detail("clustered", meta.isJobStoreClustered());
            builder.detail("node", meta.getSchedulerInstanceId());
            if (scheduler.isShutdown()) {
                builder.down().message("the Quartz scheduler is shut down: no poll will fire");
            } else if (!scheduler.isStarted() || scheduler.isInStandbyMode()) {
                builder.down().message("the Quartz scheduler is not running: no poll will fire");
            } else {
                builder.up();
            }
        } catch (SchedulerException e) {
            builder.down().message("the Quartz scheduler does not answer: " + e.getMessage());
        }
    }
}
