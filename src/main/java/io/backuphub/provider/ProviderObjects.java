package io.backuphub.provider;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Asks a provider whether it has the thing a registration names (a database, a protected entity), through the
 * connection's route {@code direct:<connection>-object-check}: its body is the registration's
 * provider keys, its answer why the provider does not have it, or null when it does. The call goes through the
 * provider's HTTP route (credentials, redeliveries); a provider that fails is this call's failure.
 */
public final class ProviderObjects {

    /** The route that checks one connection's objects. */
    public static String endpoint(String connection) {
        return "direct:" + connection + "-object-check";
    }

    public static String routeId(String connection) {
        return connection + "-object-check";
    }

    private final CamelContext context;
    private volatile ProducerTemplate template;

    public ProviderObjects(CamelContext context) {
        this.context = context;
    }

    /**
     * Why the provider does not have the object these keys name, or null when it has it (or the provider offers no
     * check).
     *
     * @throws Exception what the provider's route failed with (unreachable, 5xx after redeliveries, 401, ...)
     */
    public String missing(String connection, Map<String, String> keys) throws Exception {
        if (context.getRoute(routeId(connection)) == null) {
            return null;
        }
        Exchange done = template().request(endpoint(connection), exchange -> exchange.getMessage().setBody(keys));
        if (done.getException() != null) {
            throw done.getException();
        }
        return done.getMessage().getBody(String.class);
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }
}
