package io.backuphub.launch;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM, SIGINT (Ctrl-C) and SIGHUP stop the hub through Camel Main itself: the signal marks Main completed, Camel
 * stops gracefully (within {@code camel.main.shutdown-timeout}) and {@code main} returns normally, so a requested stop
 * exits 0 instead of the JVM's 128 + signal. A second signal while stopping ends the process at once.
 */
public final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);
    private static final String[] NAMES = {"TERM", "INT", "HUP"};

    private final AtomicReference<String> received = new AtomicReference<>();

    private Signals() {
    }

    /** Handles the stop signals for {@code main}; a signal the JVM keeps for itself is left to Camel's hook. */
    public static Signals install(MainSupport main) {
        Signals signals = new Signals();
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), signal -> signals.stop(main, signal));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("SIG{} stays with the JVM: {}", name, e.getMessage());
            }
        }
        return signals;
    }

    /** The signal that stopped the hub ({@code SIGTERM}), or null. */
    public String received() {
        return received.get();
    }

    private void stop(MainSupport main, Signal signal) {
        String name = "SIG" + signal.getName();
        if (!received.compareAndSet(null, name)) {
            LOG.warn("{} while stopping on {}: stopping now, without waiting for Camel", name, received.get());
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        LOG.info("Stopping on {}: schedules stop, in-flight work gets camel.main.shutdown-timeout to finish", name);
        main.completed();
    }
}
