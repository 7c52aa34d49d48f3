package io.backuphub.api;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerSupport;
import org.apache.camel.component.platform.http.vertx.auth.Default401ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's Vert.x HTTP server (the one {@code camel.server.*} configures, shared by the API, health and metrics):
 * Camel's own, except that it is created with the hub's limits on the request line and headers
 * ({@code hub.api.max-uri-length}, {@code hub.api.max-header-bytes}) and that {@link ApiHttpGuard} screens every
 * request first, answers the failures Vert.x handles itself and the requests its decoder refuses. Camel's server
 * builds its {@link HttpServerOptions} itself and offers no hook for them, hence this subclass, which starts the
 * server its own way around the router Camel set up.
 */
public class ApiHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);
    private static final long START_STOP_TIMEOUT_SECONDS = 60;

    private final VertxPlatformHttpServerConfiguration configuration;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    private HttpServer server;
    private boolean vertxFromRegistry;

    public ApiHttpServer(VertxPlatformHttpServerConfiguration configuration, int maxInitialLineLength,
            int maxHeaderSize) {
        super(configuration);
        this.configuration = configuration;
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    @Override
    protected void doStart() throws Exception {
        // Vert.x, the routers and the platform-http router in the registry, as Camel sets them up
        vertxFromRegistry = getVertx() != null;
        initializeServer();
        CamelContext context = getCamelContext();
        VertxPlatformHttpRouter platform = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort()));
        ApiHttpGuard guard = new ApiHttpGuard(configuration.getMaxBodySize(), maxInitialLineLength, maxHeaderSize);

        Router root = Router.router(getVertx());
        root.route().handler(guard::screen);
        if (configuration.getAuthenticationConfig().isEnabled()) {
            root.errorHandler(401, new Default401ErrorHandler());
        }
        root.route(configuration.getPath() + "*").subRouter(platform);
        root.route().failureHandler(guard::failure);
        // failures before any route matched (a path Vert.x cannot decode) go straight to the error handlers
        for (int status : ApiHttpGuard.ERROR_STATUSES) {
            root.errorHandler(status, ctx -> guard.unhandled(ctx, status));
        }

        HttpServerOptions options = new HttpServerOptions()
                .setMaxInitialLineLength(maxInitialLineLength)
                .setMaxHeaderSize(maxHeaderSize);
        if (configuration.getSslContextParameters() != null || configuration.isUseGlobalSslContextParameters()) {
            configureSsl(options, context);
        }
        server = getVertx().createHttpServer(options)
                .requestHandler(root)
                .invalidRequestHandler(guard::invalid);
        try {
            server.listen(configuration.getBindPort(), configuration.getBindHost())
                    .toCompletionStage().toCompletableFuture().get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Failed to start Vert.x HttpServer on {}:{}, reason: {}", configuration.getBindHost(),
                    configuration.getBindPort(), e.getMessage());
            throw e;
        }
        LOG.info("Vert.x HttpServer started on {}:{}", configuration.getBindHost(), server.actualPort());
    }

    @Override
    protected void stopServer() {
        if (server == null) {
            return;
        }
        try {
            getCamelContext().removeComponent(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME);
            server.close().toCompletionStage().toCompletableFuture().get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Vert.x HttpServer stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Failed to close Vert.x HttpServer reason: {}", e.getMessage());
        } finally {
            server = null;
        }
    }

    /** As Camel's server: a Vert.x found in the registry is closed with the server, one it created is not. */
    @Override
    protected void stopVertx() {
        if (getVertx() == null || !vertxFromRegistry) {
            return;
        }
        try {
            getVertx().close().toCompletionStage().toCompletableFuture()
                    .get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Vert.x stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Failed to close Vert.x reason: {}", e.getMessage());
        }
    }

    @Override
    public HttpServer getServer() {
        return server;
    }

    @Override
    public int getPort() {
        return server != null ? server.actualPort() : configuration.getBindPort();
    }

    /** Camel's own TLS set-up of the server options (package-private in Camel), when TLS is configured. */
    private void configureSsl(HttpServerOptions options, CamelContext context) throws Exception {
        Method configure = VertxPlatformHttpServerSupport.class.getDeclaredMethod("configureSSL",
                HttpServerOptions.class, VertxPlatformHttpServerConfiguration.class, CamelContext.class);
        configure.setAccessible(true);
        configure.invoke(null, options, configuration, context);
    }
}
