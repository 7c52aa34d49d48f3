package io.backuphub.schedule;

import org.apache.camel.Endpoint;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code quartz:} route that starts runs on its trigger, even when the job store holds that trigger paused.
 * <p>
 * camel-quartz pauses a route's trigger when its consumer stops (unless clustered) and resumes it only through the
 * same endpoint object. In a job store the pause outlives that object: a trigger paused when the hub stopped (or
 * when a live reload of routes/*.yaml replaced the route) would stay paused under the new route. Resumed here, a fire
 * time it missed meanwhile is a misfire, handled by Quartz. A suspended route (a paused source) stays paused: its
 * pause comes after it started.
 */
final class RouteTriggerResume extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(RouteTriggerResume.class);

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) throws Exception {
        Endpoint endpoint = ((CamelEvent.RouteStartedEvent) event).getRoute().getEndpoint();
        if (!(endpoint instanceof QuartzEndpoint quartz) || quartz.getTriggerKey() == null) {
            return;
        }
        Scheduler scheduler = quartz.getComponent().getScheduler();
        if (scheduler != null && !scheduler.isShutdown()
                && scheduler.getTriggerState(quartz.getTriggerKey()) == Trigger.TriggerState.PAUSED) {
            LOG.debug("resuming the paused trigger {} of a started route", quartz.getTriggerKey());
            scheduler.resumeTrigger(quartz.getTriggerKey());
        }
    }
}
