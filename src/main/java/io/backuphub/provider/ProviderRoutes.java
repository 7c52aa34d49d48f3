package io.backuphub.provider;

import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/** What the provider pollers share: the shape of a sync route. */
public abstract class ProviderRoutes extends RouteBuilder {

    /**
     * A sync route: starts a {@link SyncRun}, runs the work, and whatever happens records the run and logs
     * one line; a failure never escapes to the scheduler as a stack trace.
     */
    protected void syncRoute(String uri, String routeId, Processor start, String work) {
        from(uri).routeId(routeId)
                .process(start)
                .doTry()
                    .to(work)
                .endDoTry()
                .doCatch(Exception.class)
                    .process(SyncRun::failed)
                .doFinally()
                    .process(SyncRun::finish)
                .end();
    }
}
