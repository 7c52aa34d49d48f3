package io.backuphub.ops;

import io.backuphub.provider.SyncRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator does to one source: sync it now, and pause or resume its schedule (the poll route is
 * suspended through Camel's route controller, on this node; a sync run by hand still works while paused).
 */
public class SourceControl {

    private static final Logger LOG = LoggerFactory.getLogger(SourceControl.class);

    private final CamelContext context;
    private final String source;

    public SourceControl(CamelContext context, String source) {
        this.context = context;
        this.source = source;
    }

    public String source() {
        return source;
    }

    /** Runs one sync of the source on the caller's thread; returns how it ended, in one line. */
    public String syncNow() {
        LOG.info("source={} sync requested by an operator", source);
        Exchange done = context.createFluentProducerTemplate().to(HubSources.syncEndpoint(source)).send();
        SyncRun run = done.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run == null) {
            Exception failure = done.getException();
            return source + " sync did not run: " + (failure == null ? "no result" : failure.getMessage());
        }
        if (!run.succeeded()) {
            return source + " sync failed: " + run.error();
        }
        return String.format("%s sync succeeded: seen=%d new=%d updated=%d rejected=%d in %d ms", source,
                run.seenCount(), run.newCount(), run.updatedCount(), run.rejectedCount(), run.elapsed().toMillis());
    }

    public void pause() throws Exception {
        context.getRouteController().suspendRoute(HubSources.pollRoute(source));
        LOG.info("source={} paused: its schedule does not fire until resumed", source);
    }

    public void resume() throws Exception {
        context.getRouteController().resumeRoute(HubSources.pollRoute(source));
        LOG.info("source={} resumed", source);
    }

    public boolean isPaused() {
        return context.getRouteController().getRouteStatus(HubSources.pollRoute(source)) == ServiceStatus.Suspended;
    }
}
