package io.backuphub.provider;

import java.nio.file.Path;
import java.util.List;

import io.backuphub.TestHub;
import org.apache.camel.main.Main;
import org.apache.camel.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every provider package is started by the hub's configuration: its configuration class (named in
 * camel.main.configuration-classes, which ConfigurationClassesTest keeps complete) binds its provider and its templates.
 */
class EveryProviderPackageStartsTest {

    @Test
    void theConfiguredClassesStartEveryProviderPackageAndItsTemplates(@TempDir Path dataDir) throws Exception {
        Main main = new Main();
        // never the defaults: a hub running on this machine holds port 8080 and ./data
        main.addOverrideProperty("hub.api.port", Integer.toString(TestHub.freePort()));
        main.addOverrideProperty("hub.data-dir", dataDir.toString());
        main.configure().withJmxEnabled(false);
        main.start();
        try {
            List<String> ids = Connections.of(main.getCamelContext()).providers().stream().map(Provider::id).toList();
            assertEquals(providerPackages(), ids);
            Model model = main.getCamelContext().getCamelContextExtension().getContextPlugin(Model.class);
            for (Provider provider : Connections.of(main.getCamelContext()).providers()) {
                for (String template : provider.templateIds()) {
                    assertNotNull(model.getRouteTemplateDefinition(template), template);
                }
            }
        } finally {
            main.stop();
        }
    }

    private static List<String> providerPackages() throws Exception {
        try (var dirs = java.nio.file.Files.list(java.nio.file.Path.of("src/main/java/io/backuphub/provider"))) {
            return dirs.filter(java.nio.file.Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
    }
}
