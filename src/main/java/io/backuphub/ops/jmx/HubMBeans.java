package io.backuphub.ops.jmx;

import java.util.ArrayList;
import java.util.List;

import javax.management.JMException;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the hub's MBeans (domain {@value #DOMAIN}) with Camel's management agent, in the same MBean
 * server as Camel's own, and unregisters them when the hub stops.
 */
public class HubMBeans extends ServiceSupport {

    public static final String DOMAIN = "backuphub";
    private static final Logger LOG = LoggerFactory.getLogger(HubMBeans.class);

    private final CamelContext context;
    private final List<ObjectName> registered = new ArrayList<>();

    public HubMBeans(CamelContext context) {
        this.context = context;
    }

    public static ObjectName sourceName(String source) throws JMException {
        return new ObjectName(DOMAIN + ":type=source,name=" + source);
    }

    public static ObjectName catalogName() throws JMException {
        return new ObjectName(DOMAIN + ":type=catalog");
    }

    /** Registers an MBean, replacing one of the same name (left by an earlier hub in this JVM). */
    public void register(Object mbean, ObjectName name) throws JMException {
        ManagementAgent agent = agent();
        if (agent == null) {
            LOG.info("JMX is off (camel.main.jmx-enabled=false): {} not registered", name);
            return;
        }
        agent.register(mbean, name, true);
        synchronized (registered) {
            registered.add(name);
        }
    }

    @Override
    protected void doStop() {
        ManagementAgent agent = agent();
        synchronized (registered) {
            for (ObjectName name : registered) {
                try {
                    if (agent != null && agent.isRegistered(name)) {
                        agent.unregister(name);
                    }
                } catch (JMException e) {
                    LOG.warn("cannot unregister MBean {}: {}", name, e.getMessage());
                }
            }
            registered.clear();
        }
    }

    private ManagementAgent agent() {
        return context.getManagementStrategy() == null ? null : context.getManagementStrategy().getManagementAgent();
    }
}
