package io.backuphub.schedule;

import io.backuphub.catalog.Catalog;
import io.backuphub.provider.InstanceSyncRoute;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Per-instance schedules: the route template {@code instance-schedule} (a Quartz cron that syncs one instance
 * through {@code direct:instance-sync}), one route {@code instance-schedule-<id>} per instance with a schedule
 * in the catalog at start-up ({@link InstanceSchedules} changes them at run time).
 */
public class InstanceScheduleRoutes extends RouteBuilder {

    @Override
    public void configure() {
        routeTemplate(InstanceSchedules.TEMPLATE)
                .templateParameter("instanceId")
                .templateParameter("cron")
                .from("quartz:backuphub-instances/instance-{{instanceId}}?cron={{cron}}&stateful=true")
                    .setHeader(InstanceSyncRoute.INSTANCE_ID, constant("{{instanceId}}"))
                    .doTry()
                        .to(InstanceSyncRoute.ENDPOINT)
                    .doCatch(Exception.class)
                        // the sync routes record their own failures; this is a sync that could not start
                        .log(LoggingLevel.WARN, "io.backuphub.schedule",
                                "instance {{instanceId}}: scheduled sync not started: ${exception.message}")
                    .end();

        Catalog catalog = getContext().getRegistry().lookupByNameAndType("catalog", Catalog.class);
        InstanceSchedules.stored(catalog).forEach((instanceId, cron) -> templatedRoute(InstanceSchedules.TEMPLATE)
                .routeId(InstanceSchedules.routeId(instanceId))
                .parameter("instanceId", Long.toString(instanceId))
                .parameter("cron", cron));
    }
}
