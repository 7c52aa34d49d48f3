package io.backuphub.demo;

import java.time.Duration;

import io.backuphub.demo.backupify.BackupifyDemo;
import io.backuphub.demo.cloud66.Cloud66Simulator;
import io.backuphub.demo.vprotect.VProtectSimulator;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}: starts the Cloud66, vProtect and Backupify simulators on loopback, seeds them with a few hundred
 * backups that keep growing, and points both sources at them on a fast schedule. The v1 API accepts the
 * token {@code demo-token}.
 */
public final class DemoMode {

    /** The API token the demo accepts (every customer). */
    public static final String API_TOKEN = "demo-token";
    private static final Logger LOG = LoggerFactory.getLogger(DemoMode.class);
    private static final String TOKEN = "demo-cloud66-token";
    private static final String USER = "demo";
    private static final String PASSWORD = "demo-password";

    private DemoMode() {
    }

    /**
     * Starts the simulators and points the hub at them.
     *
     * @return what stops the simulators; also stopped with the hub
     */
    public static AutoCloseable install(BaseMainSupport main) {
        Cloud66Simulator cloud66 = new Cloud66Simulator(TOKEN).start();
        VProtectSimulator vprotect = new VProtectSimulator(USER, PASSWORD).start();
        vprotect.setAutoProgress(true);
        DemoData.seed(cloud66, vprotect, 42L);
        AutoCloseable producer = DemoData.keepProducing(cloud66, vprotect, Duration.ofSeconds(20));
        LOG.info("demo: Cloud66 simulator at {}, vProtect simulator at {}", cloud66.baseUrl(), vprotect.baseUrl());

        main.addOverrideProperty("hub.cloud66.enabled", "true");
        main.addOverrideProperty("hub.cloud66.base-url", cloud66.baseUrl());
        main.addOverrideProperty("hub.cloud66.token", TOKEN);
        main.addOverrideProperty("hub.cloud66.schedule", "0/15 * * * * ?");
        // the simulator serves the backup files itself: the only download host the demo needs
        main.addOverrideProperty("hub.cloud66.download-hosts", "127.0.0.1");
        main.addOverrideProperty("hub.vprotect.enabled", "true");
        main.addOverrideProperty("hub.vprotect.base-url", vprotect.baseUrl());
        main.addOverrideProperty("hub.vprotect.username", USER);
        main.addOverrideProperty("hub.vprotect.password", PASSWORD);
        main.addOverrideProperty("hub.vprotect.schedule", "5/15 * * * * ?");
        // a demo is where routes/*.yaml get edited: changes take effect as soon as a file is saved
        main.addOverrideProperty("hub.routes.reload", "true");
        // a known API token, so the README's curl examples work against the demo
        main.addOverrideProperty("hub.api.clients", API_TOKEN + "=*");

        // a third provider: a Backupify-compatible SaaS backup service, polled through its OAuth client credentials
        AutoCloseable saas = BackupifyDemo.install(main);

        AutoCloseable simulators = () -> {
            producer.close();
            cloud66.close();
            vprotect.close();
            saas.close();
        };
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStop(BaseMainSupport stopped) {
                try {
                    simulators.close();
                } catch (Exception e) {
                    LOG.warn("demo: the simulators did not stop cleanly: {}", e.getMessage());
                }
            }
        });
        return simulators;
    }
}
