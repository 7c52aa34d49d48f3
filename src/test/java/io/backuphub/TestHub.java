package io.backuphub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import io.backuphub.catalog.Catalog;
import io.backuphub.demo.DemoMode;
import io.backuphub.provider.SyncRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;

/**
 * The real hub (same Main, same config/application.properties, same routes/ YAML) started in the test
 * JVM on a temporary data directory, with its sources pointed at simulators. Schedules are set far in
 * the future so a test decides when a sync runs ({@link #sync}); a test of the schedule sets its own.
 */
public final class TestHub implements AutoCloseable {

    public static final String NEVER = "0 0 0 1 1 ? 2099";
    /** {@link #freePort()}'s range: below the ephemeral ports of every system. */
    private static final int FIRST_PORT = 20000;
    private static final int PORTS = 12000;
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(new Random().nextInt(PORTS));

    private final Main main;

    private TestHub(Main main) {
        this.main = main;
    }

    public static Builder on(Path dataDir) {
        return new Builder(dataDir);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Catalog catalog() {
        return context().getRegistry().lookupByNameAndType("catalog", Catalog.class);
    }

    /** Runs one sync of a source now, on the caller's thread, and returns its counters. */
    public SyncRun sync(String source) {
        Exchange done = context().createProducerTemplate().send("direct:" + source + "-sync", e -> { });
        return done.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    /** Syncs one backup instance now, as the API and per-instance schedules do. */
    public SyncRun syncInstance(long instanceId) {
        Exchange done = context().createProducerTemplate().send("direct:instance-sync",
                e -> e.getMessage().setHeader("hubInstanceId", instanceId));
        if (done.getException() != null) {
            throw new IllegalStateException(done.getException());
        }
        return done.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    /** Rows of a query as column-name (lower case) to value maps. */
    public List<Map<String, Object>> rows(String sql) {
        try (Connection c = catalog().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs one writing statement with its {@code ?} parameters in order (test fixtures written straight to the catalog). */
    public void execute(String sql, Object... params) {
        try (Connection c = catalog().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public long count(String sql) {
        return ((Number) rows(sql).get(0).values().iterator().next()).longValue();
    }

    @Override
    public void close() {
        main.stop();
    }

    /**
     * A port nothing listens on, for a server a test starts later (a hub in this JVM or in another). Not one the
     * system hands out by itself: a port from {@code bind(0)} goes back to the ephemeral range (Linux 32768-60999,
     * macOS and Windows 49152-65535) when the check closes it, and a client connection or another server's
     * {@code bind(0)} may take it before the hub binds it. Below that range only tests pick ports; each JVM (the
     * test forks run side by side) starts at a random place in it and moves on, skipping ports in use.
     */
    public static int freePort() {
        for (int tries = 0; tries < PORTS; tries++) {
            int port = FIRST_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), PORTS);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException inUse) {
                // taken: the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free port from " + FIRST_PORT + " to "
                + (FIRST_PORT + PORTS - 1)));
    }

    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>();
        private boolean demo;

        private Builder(Path dataDir) {
            properties.put("hub.data-dir", dataDir.toString());
            properties.put("hub.api.port", Integer.toString(freePort()));
            properties.put("hub.cloud66.enabled", "false");
            properties.put("hub.vprotect.enabled", "false");
            properties.put("hub.cloud66.schedule", NEVER);
            properties.put("hub.vprotect.schedule", NEVER);
            properties.put("hub.http.redelivery-delay-ms", "10");
            properties.put("hub.http.max-redelivery-delay-ms", "50");
            properties.put("hub.fanout.schedule", NEVER);
            properties.put("hub.fanout.redelivery-delay-ms", "10");
            properties.put("hub.fanout.max-redelivery-delay-ms", "50");
            properties.put("hub.notify.stale-schedule", NEVER);
            properties.put("hub.exports.schedule", NEVER);
            properties.put("hub.exports.redelivery-delay-ms", "10");
            properties.put("hub.exports.max-redelivery-delay-ms", "50");
            properties.put("hub.notify.redelivery-delay-ms", "10");
            properties.put("hub.notify.max-redelivery-delay-ms", "50");
            properties.put("hub.notify.batch-window-ms", "300");
        }

        public Builder cloud66(String baseUrl, String token) {
            properties.put("hub.cloud66.enabled", "true");
            properties.put("hub.cloud66.base-url", baseUrl);
            properties.put("hub.cloud66.token", token);
            return this;
        }

        public Builder vprotect(String baseUrl, String user, String password) {
            properties.put("hub.vprotect.enabled", "true");
            properties.put("hub.vprotect.base-url", baseUrl);
            properties.put("hub.vprotect.username", user);
            properties.put("hub.vprotect.password", password);
            return this;
        }

        public Builder with(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Also runs the demo: simulators started and seeded, sources pointed at them on their demo schedule. */
        public Builder demo() {
            this.demo = true;
            return this;
        }

        public TestHub start() {
            Main main = BackupHub.create();
            properties.forEach(main::addOverrideProperty);
            if (demo) {
                DemoMode.install(main);
            }
            main.start();
            return new TestHub(main);
        }
    }
}
