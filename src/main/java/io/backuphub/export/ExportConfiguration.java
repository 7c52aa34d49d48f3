package io.backuphub.export;

import java.time.Clock;
import java.time.Duration;

import io.backuphub.api.BlobStore;
import io.backuphub.api.CatalogQueries;
import io.backuphub.api.ExportLinks;
import io.backuphub.api.ExportStore;
import io.backuphub.api.HmacSigner;
import io.backuphub.catalog.Catalog;
import io.backuphub.fanout.notify.NotifyEvents;
import io.backuphub.fanout.notify.NotifyOutbox;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans routes/exports.yaml calls ({@code exportBuilds}, {@code exportArchives}, {@code exportNotices})
 * from the catalog's, the API's and the fan-out's beans (lazily, as those are), and gives back this node's claims
 * on exports, so a build a crash interrupted starts again.
 */
@Configuration
public class ExportConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ExportConfiguration.class);

    @BindToRegistry(value = "exportBuilds", lazy = true)
    public ExportBuilds exportBuilds(@BeanInject("catalog") Catalog catalog,
            @PropertyInject("hub.node-name") String nodeName,
            @PropertyInject("hub.exports.lease-seconds") long leaseSeconds,
            @PropertyInject("hub.api.export-url-ttl-seconds") long linkTtlSeconds) {
        Clock clock = Clock.systemUTC();
        return new ExportBuilds(catalog, new ExportStore(catalog, clock), clock, nodeName.trim(),
                Duration.ofSeconds(leaseSeconds), Duration.ofSeconds(linkTtlSeconds));
    }

    @BindToRegistry(value = "exportArchives", lazy = true)
    public ExportArchives exportArchives(@BeanInject("catalog") Catalog catalog,
            @PropertyInject("{{hub.storage.targets:}}") String targets,
            @PropertyInject("hub.exports.max-wait-minutes") long maxWaitMinutes) {
        BlobStore blobs = new BlobStore(targets.trim());
        ExportRecords records = new ExportRecords(catalog, blobs, Clock.systemUTC(), Duration.ofMinutes(maxWaitMinutes));
        return new ExportArchives(records, blobs);
    }

    /** Also finishes export.ready as it leaves the outbox: with a download link signed as it leaves. */
    @BindToRegistry(value = "exportNotices", lazy = true)
    public ExportNotices exportNotices(@BeanInject("notifyEvents") NotifyEvents events,
            @BeanInject("catalogQueries") CatalogQueries queries,
            @BeanInject("apiSigner") HmacSigner signer,
            @BeanInject("notifyOutbox") NotifyOutbox outbox) {
        ExportNotices notices = new ExportNotices(events, queries, new ExportLinks(signer, Clock.systemUTC()));
        outbox.finishing(NotifyEvents.EXPORT_READY, notices::withDownloadUrl);
        return notices;
    }

    /** Claims this node held on export builds when it stopped (or crashed) are given back; the notices are set. */
    @Override
    public void configure(CamelContext context) {
        // made now: export.ready must carry its link from the first delivery on, whoever sends it
        context.getRegistry().lookupByNameAndType("exportNotices", ExportNotices.class);
        int released = context.getRegistry().lookupByNameAndType("exportBuilds", ExportBuilds.class).releaseClaims();
        if (released > 0) {
            LOG.info("{} interrupted export build(s) will be resumed", released);
        }
    }
}
