package io.backuphub;

import java.io.Reader;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import io.backuphub.api.ApiConfiguration;
import io.backuphub.catalog.CatalogConfiguration;
import io.backuphub.export.ExportConfiguration;
import io.backuphub.fanout.FanoutConfiguration;
import io.backuphub.ops.OpsConfiguration;
import io.backuphub.schedule.SchedulerConfiguration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.scan.DefaultPackageScanClassResolver;
import org.apache.camel.util.AntPathMatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The hub's configuration classes as Camel Main treats them, named in camel.main.configuration-classes (in no order
 * that matters): each post-processed (its @BindToRegistry methods bound), then configured. The order must not
 * matter, and no configuration class or route builder of the hub may be left out of the lists Camel Main reads.
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
    void everyConfigurationClassOfTheHubIsNamedInTheConfiguration() throws Exception {
        assertEquals(hubClasses(new DefaultPackageScanClassResolver()
                        .findAnnotated(Configuration.class, "io.backuphub"), ""),
                listed("camel.main.configuration-classes"));
    }

    @Test
    void everyRouteBuilderOfTheHubIsNamedInTheConfiguration() throws Exception {
        String excluded = applicationProperties().getProperty("camel.main.java-routes-exclude-pattern", "");
        assertEquals(hubClasses(new DefaultPackageScanClassResolver()
                        .findImplementations(RoutesBuilder.class, "io.backuphub"), excluded),
                listed("camel.main.routes-builder-classes"));
    }

    /** The concrete classes of the hub itself (not of its tests), less those the exclude patterns match. */
    private static Set<String> hubClasses(Set<Class<?>> found, String excludePatterns) {
        var hub = BackupHub.class.getProtectionDomain().getCodeSource().getLocation();
        String[] excludes = excludePatterns.isBlank() ? new String[0] : excludePatterns.split(",");
        return found.stream()
                .filter(c -> hub.equals(c.getProtectionDomain().getCodeSource().getLocation()))
                .filter(c -> !c.isInterface() && !Modifier.isAbstract(c.getModifiers()))
                .filter(c -> !AntPathMatcher.INSTANCE.anyMatch(excludes, c.getName().replace('.', '/')))
                .map(Class::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> listed(String key) throws Exception {
        return Arrays.stream(applicationProperties().getProperty(key, "").split(","))
                .map(String::trim).filter(name -> !name.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Properties applicationProperties() throws Exception {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("config/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

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
