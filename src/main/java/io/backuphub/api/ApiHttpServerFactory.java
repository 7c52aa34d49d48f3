package io.backuphub.api;

import java.lang.reflect.Field;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.HttpServerConfigurationProperties;

/**
 * Makes camel-main's embedded HTTP server ({@code camel.server.*}) an {@link ApiHttpServer}: bound in the registry
 * by {@code camel.beans.apiHttpServerFactory} (config/application.properties), which camel-main creates before it
 * looks the factory up. The server is configured as Camel's (port, path, {@code camel.server.max-body-size}, ...);
 * the request-line and header limits come from {@code hub.api.max-uri-length} and {@code hub.api.max-header-bytes}.
 */
public class ApiHttpServerFactory extends DefaultMainHttpServerFactory {

    static final int DEFAULT_MAX_URI_LENGTH = 8192;
    static final int DEFAULT_MAX_HEADER_BYTES = 16384;

    @Override
    public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties configuration) {
        MainHttpServer camels = (MainHttpServer) super.newHttpServer(camelContext, configuration);
        HubMainHttpServer server = new HubMainHttpServer(
                limit(camelContext, "hub.api.max-uri-length", DEFAULT_MAX_URI_LENGTH),
                limit(camelContext, "hub.api.max-header-bytes", DEFAULT_MAX_HEADER_BYTES));
        server.setCamelContext(camelContext);
        server.setConfiguration(camels.getConfiguration());
        server.setStaticEnabled(camels.isStaticEnabled());
        server.setStaticContextPath(camels.getStaticContextPath());
        server.setStaticSourceDir(camels.getStaticSourceDir());
        return server;
    }

    private static int limit(CamelContext context, String key, int fallback) {
        String value = context.getPropertiesComponent().resolveProperty(key).orElse("").trim();
        if (value.isEmpty()) {
            return fallback;
        }
        int limit = Integer.parseInt(value);
        if (limit < 256) {
            throw new IllegalArgumentException(key + " must be at least 256 (bytes), not " + value);
        }
        return limit;
    }

    /** camel-main's server, on an {@link ApiHttpServer} instead of Camel's plain Vert.x server. */
    static final class HubMainHttpServer extends MainHttpServer {

        private final int maxInitialLineLength;
        private final int maxHeaderSize;

        HubMainHttpServer(int maxInitialLineLength, int maxHeaderSize) {
            this.maxInitialLineLength = maxInitialLineLength;
            this.maxHeaderSize = maxHeaderSize;
        }

        @Override
        protected void doInit() throws Exception {
            // what MainHttpServer.doInit does, with the hub's server
            getConfiguration().setServerType(VertxPlatformHttpRouter.SERVER_TYPE_SERVER);
            ApiHttpServer server = new ApiHttpServer(getConfiguration(), maxInitialLineLength, maxHeaderSize);
            // MainHttpServer starts the server it keeps in its private field (no setter)
            Field field = MainHttpServer.class.getDeclaredField("server");
            if (!VertxPlatformHttpServer.class.isAssignableFrom(field.getType())) {
                throw new IllegalStateException("MainHttpServer.server is no longer a VertxPlatformHttpServer");
            }
            field.setAccessible(true);
            field.set(this, server);
            getCamelContext().addService(server);
        }
    }
}
