package io.backuphub.launch;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of start-up: a hub whose HTTP server did not bind stops at once (Vert.x only logs a failed bind, and the
 * hub would otherwise poll and copy with no API and no health); a hub that is up logs one line with the API URL, the
 * OpenAPI document and, in demo mode, the API token.
 */
public final class StartupReport extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);

    private final String demoToken;
    private final AtomicReference<StartupFailure> failure = new AtomicReference<>();

    /** @param demoToken the demo's API token, or null outside demo mode */
    public StartupReport(String demoToken) {
        this.demoToken = demoToken;
    }

    /** Why the hub stopped right after starting, or null. */
    public StartupFailure failure() {
        return failure.get();
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        String port = context.resolvePropertyPlaceholders("{{hub.api.port}}");
        int notListening = portNotListening(context);
        if (notListening >= 0) {
            // said once, by the launcher, when Camel has stopped
            failure.set(StartupFailure.portInUse(notListening));
            ((MainSupport) main).completed();
            return;
        }
        LOG.info(readyLine(baseUrl(context, port), demoToken));
    }

    static String readyLine(String base, String demoToken) {
        return "Backup Hub ready: API " + base + "/v1, docs " + base + "/openapi.json"
                + (demoToken != null ? ", demo token " + demoToken : "");
    }

    static String baseUrl(CamelContext context, String port) {
        String configured = context.getPropertiesComponent().resolveProperty("hub.api.public-url").orElse("").trim();
        if (!configured.isEmpty()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        return "http://localhost:" + port.trim();
    }

    /** The configured port of an HTTP server that is not listening (its bind failed), or -1. */
    private static int portNotListening(CamelContext context) {
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            if (server.getServer() == null
                    || server.getServer() instanceof io.vertx.core.net.impl.TCPServerBase tcp && !tcp.isListening()) {
                return server.getConfigurationPort();
            }
        }
        return -1;
    }
}
