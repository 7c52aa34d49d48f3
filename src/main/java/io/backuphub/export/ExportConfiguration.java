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
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the beans routes/exports.yaml calls ({@code exportBuilds}, {@code exportArchives}, {@code exportNotices})
 * and gives back this node's claims on exports, so a build a crash interrupted starts again. Runs after the
 * catalog's, the API's and the fan-out's configurations, whose beans it uses.
 */
public class ExportConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ExportConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        Catalog catalog = lookup(context, "catalog", Catalog.class);
        CatalogQueries queries = lookup(context, "catalogQueries", CatalogQueries.class);
        HmacSigner signer = lookup(context, "apiSigner", HmacSigner.class);
        NotifyEvents events = lookup(context, "notifyEvents", NotifyEvents.class);
        Clock clock = Clock.systemUTC();
        BlobStore blobs = new BlobStore(property(context, "hub.storage.targets"));
        ExportBuilds builds = new ExportBuilds(catalog, new ExportStore(catalog, clock), clock,
                property(context, "hub.node-name"), seconds(context, "hub.exports.lease-seconds"),
                seconds(context, "hub.api.export-url-ttl-seconds"));
        ExportRecords records = new ExportRecords(catalog, blobs, clock,
                Duration.ofMinutes(Long.parseLong(property(context, "hub.exports.max-wait-minutes"))));

        context.getRegistry().bind("exportBuilds", builds);
        context.getRegistry().bind("exportArchives", new ExportArchives(records, blobs));
        ExportNotices notices = new ExportNotices(events, queries, new ExportLinks(signer, clock));
        context.getRegistry().bind("exportNotices", notices);
        // export.ready leaves the outbox with a download link signed as it leaves
        lookup(context, "notifyOutbox", NotifyOutbox.class).finishing(NotifyEvents.EXPORT_READY, notices::withDownloadUrl);
        int released = builds.releaseClaims();
        if (released > 0) {
            LOG.info("{} interrupted export build(s) will be resumed", released);
        }
    }

    private static <T> T lookup(CamelContext context, String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("exports need the bean '" + name + "': list io.backuphub.export."
                    + "ExportConfiguration after the catalog, API and fan-out configurations in "
                    + "camel.main.configuration-classes");
        }
        return bean;
    }

    private static Duration seconds(CamelContext context, String key) {
        return Duration.ofSeconds(Long.parseLong(property(context, key)));
    }

    private static String property(CamelContext context, String key) {
        return context.resolvePropertyPlaceholders("{{" + key + "}}").trim();
    }
}
