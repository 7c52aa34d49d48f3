package io.backuphub.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

import io.backuphub.TestHub;

/**
 * Remote JMX as an operator's console reaches it: the platform MBean server exported over RMI (a registry
 * and a connector server, both bound to loopback), and a client connected through {@link JMXConnectorFactory}.
 */
final class LoopbackJmx implements AutoCloseable {

    private final Registry registry;
    private final JMXConnectorServer server;
    private final JMXConnector client;

    LoopbackJmx() throws IOException {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        RMIServerSocketFactory loopback = new LoopbackSockets();
        int port = TestHub.freePort();
        registry = LocateRegistry.createRegistry(port, null, loopback);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        server = JMXConnectorServerFactory.newJMXConnectorServer(url,
                Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopback),
                ManagementFactory.getPlatformMBeanServer());
        server.start();
        client = JMXConnectorFactory.connect(url);
    }

    MBeanServerConnection connection() throws IOException {
        return client.getMBeanServerConnection();
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            server.stop();
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    /** Server sockets on 127.0.0.1 only. */
    private static final class LoopbackSockets implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 0, InetAddress.getLoopbackAddress());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LoopbackSockets;
        }

        @Override
        public int hashCode() {
            return LoopbackSockets.class.hashCode();
        }
    }
}
