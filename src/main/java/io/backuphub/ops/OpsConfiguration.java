package io.backuphub.ops;

import java.time.Clock;
import java.util.List;

import io.backuphub.catalog.Catalog;
import io.backuphub.ops.deadletter.DeadLetters;
import io.backuphub.ops.deadletter.IngestRejects;
import io.backuphub.ops.health.CatalogHealthCheck;
import io.backuphub.ops.health.RoutesHealthCheck;
import io.backuphub.ops.health.SchedulerHealthCheck;
import io.backuphub.ops.health.SourceHealthCheck;
import io.backuphub.ops.health.StorageHealthCheck;
import io.backuphub.ops.jmx.HubMBeans;
import io.backuphub.ops.jmx.ManagedCatalog;
import io.backuphub.ops.jmx.ManagedSource;
import io.backuphub.ops.metrics.HubMetrics;
import io.backuphub.ops.metrics.PrometheusLint;
import io.backuphub.provider.ProviderBudget;
import io.backuphub.provider.ProviderBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations side: health checks (catalog, each polling source, each storage target, the scheduler, the
 * routes as one check), the hub's MBeans and meters, and the dead-letter queue of rejected provider items. Which
 * sources poll is known once the routes are in, so the per-source parts are set up when the context starts.
 */
@Configuration
public class OpsConfiguration implements CamelConfiguration {

    /** Name under which Camel's Micrometer support looks for (or binds) its meter registry. */
    static final String METER_REGISTRY = "metricsRegistry";
    private static final Logger LOG = LoggerFactory.getLogger(OpsConfiguration.class);

    /** A source is DOWN (not ready) after this many failed polls in a row. */
    @PropertyInject("hub.health.max-consecutive-failures")
    private int maxConsecutiveFailures;

    /** The hub's meters, in the registry Camel's Micrometer support serves ({@link #meterRegistry}). */
    @BindToRegistry(value = HubMetrics.BEAN, lazy = true)
    public HubMetrics hubMetrics(CamelContext context) {
        return new HubMetrics(meterRegistry(context));
    }

    @BindToRegistry(value = IngestRejects.NAME, lazy = true)
    public IngestRejects ingestRejects(CamelContext context, @BeanInject("catalog") Catalog catalog) {
        return new IngestRejects(context, catalog);
    }

    /** The MBeans as a service, and the health checks, meters and MBeans set up once the routes are in. */
    @Override
    public void configure(CamelContext context) throws Exception {
        Catalog catalog = context.getRegistry().lookupByNameAndType("catalog", Catalog.class);
        HubMetrics metrics = context.getRegistry().lookupByNameAndType(HubMetrics.BEAN, HubMetrics.class);
        SyncHistory history = new SyncHistory(catalog);
        CatalogStats stats = new CatalogStats(catalog, Clock.systemUTC());
        DeadLetters deadLetters = new DeadLetters(context);
        HubMBeans mbeans = new HubMBeans(context);

        context.addService(mbeans, true, true);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                if (alreadyStarted) {
                    return; // called again when routes reload: everything is in place already
                }
                HealthCheckRegistry health = HealthCheckRegistry.get(started);
                health.register(new CatalogHealthCheck(catalog));
                health.register(new SchedulerHealthCheck());
                health.register(new RoutesHealthCheck());
                for (String target : StorageTargets.configured(started)) {
                    health.register(new StorageHealthCheck(target));
                    metrics.watchTarget(target);
                }
                metrics.watchDeadLetters(() -> deadLetters.size(null));
                mbeans.register(new ManagedCatalog(stats, deadLetters), HubMBeans.catalogName());

                List<String> sources = HubSources.enabled(started);
                for (String source : sources) {
                    SourceControl control = new SourceControl(started, source);
                    health.register(new SourceHealthCheck(control, history, maxConsecutiveFailures));
                    metrics.watchSource(source, () -> stats.lag(source));
                    ProviderBudget.of(started, source).ifPresent(metrics::watchBudget);
                    ProviderBreaker.of(started, source)
                            .ifPresent(breaker -> metrics.watchBreaker(source, () -> breaker.state().name()));
                    mbeans.register(new ManagedSource(started, control, history, stats), HubMBeans.sourceName(source));
                }
                LOG.info("operations: health checks, MBeans (domain {}) and metrics for sources {}", HubMBeans.DOMAIN,
                        sources);
            }
        });
    }

    /**
     * Camel's Micrometer registry (camel.metrics.* binds it before the configuration classes run) if it is bound
     * already, else a Prometheus one that Camel then reuses; either way with snake_case label names and a HELP text
     * for every meter ({@link PrometheusLint}).
     */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry found = context.getRegistry().lookupByNameAndType(METER_REGISTRY, MeterRegistry.class);
        if (found != null) {
            if (found instanceof PrometheusMeterRegistry prometheus) {
                PrometheusLint.apply(prometheus);
            }
            return found;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusLint.apply(registry);
        context.getRegistry().bind(METER_REGISTRY, registry);
        return registry;
    }
}
