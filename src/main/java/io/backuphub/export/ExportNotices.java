package io.backuphub.export;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.backuphub.api.ApiUrls;
import io.backuphub.api.CatalogQueries;
import io.backuphub.api.ExportLinks;
import io.backuphub.api.ExportRow;
import io.backuphub.fanout.notify.NotifyEvents;
import io.backuphub.fanout.notify.NotifyOutbox;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * The {@code export.ready} event of an export whose client asked for a confirmation ({@code exportNotices} in the
 * registry): raised once per export, with the signed absolute download URL. The URL is added as the event leaves the
 * outbox, so the signature is never stored in the notifications table (nor logged: routes log event ids only).
 */
public class ExportNotices {

    private static final String DOWNLOAD_BASE = NotifyOutbox.PRIVATE_PREFIX + "download_base";

    private final NotifyEvents events;
    private final CatalogQueries queries;
    private final ExportLinks links;

    public ExportNotices(NotifyEvents events, CatalogQueries queries, ExportLinks links) {
        this.events = events;
        this.queries = queries;
        this.links = links;
    }

    /** The event, or null when it was raised before (another node, an earlier attempt). */
    public Map<String, Object> ready(@ExchangeProperty("hubExport") ExportJob job, @Header("hubApiBase") String base,
                                     Exchange exchange) {
        ExportRow export = queries.export(job.instanceId(), job.id()).orElseThrow();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("customer", job.customer());
        fields.put("backup_instance_id", job.instanceId());
        fields.put("backup_instance_name", job.instanceName());
        fields.put("provider", job.provider());
        fields.put("backup_id", job.backupId());
        fields.put("export_id", job.id());
        fields.put("export_formats", List.of(job.formats().split(",")));
        fields.put("size_bytes", export.sizeBytes());
        fields.put("expires_at", instant(export.expiresAt()));
        // the base URL (no secret) is kept for delivery, where the link is signed afresh (see withDownloadUrl)
        String hub = base != null && !base.isBlank() ? base : ApiUrls.base(exchange);
        fields.put(DOWNLOAD_BASE, hub);
        Map<String, Object> event = events.raise(NotifyEvents.EXPORT_READY, NotifyEvents.EXPORT_READY + ":" + job.id(),
                fields);
        if (event != null) {
            event.remove(DOWNLOAD_BASE);
            event.put("download_url", links.url(hub, export));
        }
        return event;
    }

    /** An {@code export.ready} event as it leaves the outbox: with its signed download link, made now. */
    public Map<String, Object> withDownloadUrl(Map<String, Object> event) {
        Object base = event.get(DOWNLOAD_BASE);
        Object expires = event.get("expires_at");
        if (base != null && expires != null) {
            event.put("download_url", links.url(String.valueOf(base), ((Number) event.get("backup_instance_id")).longValue(),
                    ((Number) event.get("export_id")).longValue(), Instant.parse(String.valueOf(expires))));
        }
        return event;
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
