package io.backuphub.schedule;

import io.backuphub.provider.InstanceSyncRoute;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.quartz.QuartzConstants;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an instance's schedule: syncs the instance through {@code direct:instance-sync} on the node Quartz
 * fired it on. A sync still running when the next slot comes is not started twice.
 */
@DisallowConcurrentExecution
public class InstanceSyncJob implements Job {

    /** Job data: the instance's id. */
    static final String INSTANCE_ID = "instanceId";

    private static final Logger LOG = LoggerFactory.getLogger(InstanceSyncJob.class);

    @Override
    public void execute(JobExecutionContext quartz) throws JobExecutionException {
        JobDataMap data = quartz.getMergedJobDataMap();
        long instanceId = data.getLong(INSTANCE_ID);
        CamelContext camel = camelContext(quartz, data.getString(QuartzConstants.QUARTZ_CAMEL_CONTEXT_NAME));
        try (ProducerTemplate template = camel.createProducerTemplate()) {
            Exchange done = template.send(InstanceSyncRoute.ENDPOINT,
                    exchange -> exchange.getMessage().setHeader(InstanceSyncRoute.INSTANCE_ID, instanceId));
            if (done.getException() != null) {
                // the sync routes record their own failures; this is a sync that could not start
                LOG.warn("instance {}: scheduled sync not started: {}", instanceId, done.getException().getMessage());
            }
        } catch (Exception e) {
            LOG.warn("instance {}: scheduled sync not started: {}", instanceId, e.getMessage());
        }
    }

    /** camel-quartz keeps each Camel context in its scheduler's context, under the context's name. */
    private static CamelContext camelContext(JobExecutionContext quartz, String name) throws JobExecutionException {
        try {
            Object camel = quartz.getScheduler().getContext().get(QuartzConstants.QUARTZ_CAMEL_CONTEXT + "-" + name);
            if (camel instanceof CamelContext context) {
                return context;
            }
            throw new JobExecutionException("no Camel context " + name + " in Quartz scheduler "
                    + quartz.getScheduler().getSchedulerName());
        } catch (SchedulerException e) {
            throw new JobExecutionException("cannot read the Quartz scheduler's context", e);
        }
    }
}
