package io.backuphub;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import io.backuphub.api.ApiConfiguration;
import io.backuphub.catalog.CatalogConfiguration;
import io.backuphub.export.ExportConfiguration;
import io.backuphub.fanout.FanoutConfiguration;
import io.backuphub.ops.OpsConfiguration;
import io.backuphub.schedule.SchedulerConfiguration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The hub's configuration classes as Camel Main treats them, found by the package scan in no set order: each
 * post-processed (its @BindToRegistry methods bound), then configured. The order must not matter.
 */
class ConfigurationClassesTest {

    /** Every bean name the routes (Java and routes/*.yaml), the operations side and the tests look up. */
    private static final List<String> BEANS = List.of("catalogDataSource", "catalog", "sideSteps", "metricsRegistry",
            "hubMetrics", "ingest-rejects", "apiJson", "apiJsonFormat", "apiDocumentFactory", "apiSigner",
            "catalogQueries", "instanceLog", "apiClients", "storageTargets", "copyQueue", "copiesInFlight",
            "fanoutCopies", "attemptResult", "s3Target", "s3StorageProbe",
            "deadLetters", "copyDeadLetters", "notifyChannels", "notifyEvents", "notifyOutbox", "notifyMessages",
            "webhookSigner", "staleInstances", "smtpLogin", "exportBuilds", "exportArchives", "exportNotices",
            "quartzProperties");

    @TempDir
    Path dataDir;

    @Test
    void everyBeanIsMadeWhicheverOrderTheConfigurationClassesComeIn() throws Exception {
        // the reverse of the order in which they use each other's beans
        List<CamelConfiguration> configurations = List.of(new SchedulerConfiguration(), new ExportConfiguration(),
                new FanoutConfiguration(), new ApiConfiguration(), new OpsConfiguration(), new CatalogConfiguration());
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties overrides = new Properties();
            overrides.put("hub.data-dir", dataDir.toString());
            overrides.put("hub.storage.targets", "file:" + dataDir.resolve("storage") + ",s3://backups/hub");
            context.getPropertiesComponent().setLocation("file:config/application.properties");
            context.getPropertiesComponent().setOverrideProperties(overrides);
            CamelBeanPostProcessor processor = PluginHelper.getBeanPostProcessor(context);
            for (CamelConfiguration configuration : configurations) {
                processor.postProcessBeforeInitialization(configuration, configuration.getClass().getName());
                processor.postProcessAfterInitialization(configuration, configuration.getClass().getName());
            }
            try {
                for (CamelConfiguration configuration : configurations) {
                    configuration.configure(context);
                }
                for (String bean : BEANS) {
                    assertNotNull(context.getRegistry().lookupByName(bean), bean);
                }
            } finally {
                context.getRegistry().lookupByNameAndType("catalogDataSource", HikariDataSource.class).close();
            }
        }
    }
}
