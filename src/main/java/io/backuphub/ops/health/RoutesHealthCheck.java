package io.backuphub.ops.health;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.backuphub.ops.HubSources;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.RouteController;

/**
 * Readiness of every route, as one check instead of Camel's one per route and one per consumer: UP when each
 * route that should run is started, DOWN naming the ones that are not. A route left off at start-up on purpose
 * ({@code autoStartup=false}) is not expected to run. A suspended poll route is a paused source: the source's
 * own check says so, and it is no reason to take the hub out of service.
 */
public class RoutesHealthCheck extends AbstractHealthCheck {

    public RoutesHealthCheck() {
        super("backuphub", "routes");
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RouteController controller = getCamelContext().getRouteController();
        List<Route> routes = getCamelContext().getRoutes().stream()
                .sorted(Comparator.comparing(Route::getRouteId)).toList();
        List<String> notRunning = routes.stream()
                .filter(this::shouldRun)
                .filter(route -> !isRunning(route.getRouteId(), controller.getRouteStatus(route.getRouteId())))
                .map(route -> route.getRouteId() + " (" + status(controller.getRouteStatus(route.getRouteId())) + ")")
                .toList();
        builder.detail("routes.total", routes.size());
        builder.detail("routes.not.running", notRunning.size());
        if (notRunning.isEmpty()) {
            builder.up();
            return;
        }
        String named = notRunning.stream().collect(Collectors.joining(", "));
        builder.detail("not.running", named);
        builder.down().message(notRunning.size() + " route(s) not running: " + named
                + "; start them over JMX (org.apache.camel, type=routes) or restart the hub");
    }

    private boolean shouldRun(Route route) {
        Boolean autoStartup = route.isAutoStartup();
        return autoStartup == null || autoStartup;
    }

    private static boolean isRunning(String routeId, ServiceStatus status) {
        return status == ServiceStatus.Started
                || status == ServiceStatus.Suspended && routeId.endsWith(HubSources.pollRoute(""));
    }

    private static String status(ServiceStatus status) {
        return status == null ? "unknown" : status.name();
    }
}
