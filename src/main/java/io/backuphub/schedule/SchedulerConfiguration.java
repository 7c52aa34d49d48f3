package io.backuphub.schedule;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.backuphub.catalog.Catalog;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.Scheduler;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.PostgreSQLDelegate;
import org.quartz.impl.jdbcjobstore.StdJDBCDelegate;
import org.quartz.simpl.SimpleThreadPool;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz scheduler behind every {@code quartz:} route and every instance's schedule: Quartz's JDBC job store in
 * the catalog's database (tables from migration V90), on one node and on many alike, so schedules and their misfire
 * state outlive a restart. {@code hub.cluster.enabled=true} makes it a Quartz cluster: every node sharing the catalog
 * shares the jobs, each fires on one node, and a dead node's work moves to another after about two check-ins.
 * <p>
 * camel-quartz reads the scheduler's settings from {@code quartzProperties}
 * ({@code camel.component.quartz.properties-ref}); it names the scheduler {@code backuphub-<camel.main.name>}
 * (its prefix-instance-name, left on), the name under which the jobs are stored: every node of a cluster keeps the
 * same {@code camel.main.name}, while two hubs in one JVM (tests) each get a scheduler of their own.
 */
@Configuration
public class SchedulerConfiguration implements CamelConfiguration {

    /** The Quartz group of the hub's {@code quartz:backuphub/...} routes. */
    public static final String ROUTE_GROUP = "backuphub";

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerConfiguration.class);
    /**
     * Quartz keeps data sources in a JVM-wide registry by name: each hub (tests start many, one after another, each
     * on its own database) registers its catalog under a name of its own, so no scheduler reaches another's database.
     */
    private static final AtomicLong DATA_SOURCES = new AtomicLong();

    @BindToRegistry(value = "quartzProperties", lazy = true)
    public Properties quartzProperties(CamelContext context,
            @BeanInject("catalogDataSource") HikariDataSource catalog,
            @PropertyInject("hub.node-name") String nodeName,
            @PropertyInject("hub.cluster.enabled") boolean clustered,
            @PropertyInject("hub.cluster.checkin-interval-ms") long checkinIntervalMs,
            @PropertyInject("hub.schedule.misfire-threshold-ms") long misfireThresholdMs,
            @PropertyInject("hub.schedule.threads") int threads) {
        String dataSource = "catalog-" + DATA_SOURCES.incrementAndGet();
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new CatalogConnectionProvider(catalog));
        boolean postgres = catalog.getJdbcUrl().startsWith("jdbc:postgresql:");
        if (catalog.getJdbcUrl().startsWith("jdbc:h2:file:")) {
            LOG.warn("hub.db.url is an H2 file: URL; use jdbc:h2:retry: (the same file): Quartz interrupts its threads "
                    + "when it stops, and H2 on file: closes the database when that lands in a write");
        }

        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceName", ROUTE_GROUP);
        quartz.setProperty("org.quartz.scheduler.instanceId", nodeName);
        quartz.setProperty("org.quartz.threadPool.class", SimpleThreadPool.class.getName());
        quartz.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        quartz.setProperty("org.quartz.jobStore.class", JobStoreTX.class.getName());
        quartz.setProperty("org.quartz.jobStore.driverDelegateClass",
                (postgres ? PostgreSQLDelegate.class : StdJDBCDelegate.class).getName());
        quartz.setProperty("org.quartz.jobStore.dataSource", dataSource);
        // a fire time this late is a misfire: cron triggers then fire once at once, however many slots were missed
        quartz.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(misfireThresholdMs));
        quartz.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(clustered));
        quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinIntervalMs));
        LOG.info("scheduler: Quartz JDBC job store in the catalog ({}), {}", postgres ? "PostgreSQL" : "H2",
                clustered ? "clustered as node " + nodeName + ", check-in every " + checkinIntervalMs + " ms"
                        : "one node (hub.cluster.enabled=false)");
        shutDownBeforeTheCatalog(context);
        return quartz;
    }

    /**
     * A started {@code quartz:} route runs on its trigger ({@link RouteTriggerResume}); before the scheduler starts,
     * instances with a schedule in the catalog but no job get one.
     */
    @Override
    public void configure(CamelContext context) {
        context.getManagementStrategy().addEventNotifier(new RouteTriggerResume());
        context.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(scheduler -> {
            Catalog catalog = context.getRegistry().lookupByNameAndType("catalog", Catalog.class);
            new InstanceSchedules(context).createMissing(scheduler, catalog);
        });
    }

    /**
     * The scheduler stops with the hub, after the routes and before the catalog pool it runs on (services stop in the
     * reverse order of their adding; the catalog's was added when its pool was made, before this one): a new hub in
     * the same JVM gets a new scheduler, never this one.
     */
    private static void shutDownBeforeTheCatalog(CamelContext context) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    Scheduler scheduler = context.hasComponent("quartz") instanceof QuartzComponent quartz
                            ? quartz.getScheduler() : null;
                    if (scheduler != null && !scheduler.isShutdown()) {
                        scheduler.shutdown(true);
                    }
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the scheduler's shutdown with Camel", e);
        }
    }
}
