package io.backuphub.ops.deadletter;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import io.backuphub.ops.HubSources;
import io.backuphub.ops.SourceControl;
import org.apache.camel.CamelContext;
import org.jdbi.v3.core.Jdbi;

/**
 * Provider items the hub could not ingest (table {@code ingest_rejects}). A replay syncs each source that
 * has some again: an item the provider still sends and the hub now reads leaves the table (the catalog
 * removes the reject when the backup lands). Items a cursor-based source has moved past stay until a
 * full re-read of that source.
 */
public class IngestRejects implements DeadLetterQueue {

    public static final String NAME = "ingest-rejects";

    private final CamelContext context;
    private final Jdbi jdbi;

    public IngestRejects(CamelContext context, Catalog catalog) {
        this.context = context;
        this.jdbi = CatalogJdbi.of(catalog);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long size(String source) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM ingest_rejects"
                        + (source == null ? "" : " WHERE source = :source"))
                .bindMap(source == null ? Map.of() : Map.of("source", source))
                .mapTo(Long.class)
                .one());
    }

    @Override
    public String replay() {
        List<String> sources = sourcesWithRejects();
        if (sources.isEmpty()) {
            return "none waiting";
        }
        List<String> enabled = HubSources.enabled(context);
        StringJoiner summary = new StringJoiner(", ");
        for (String source : sources) {
            long before = size(source);
            if (!enabled.contains(source)) {
                summary.add(source + " " + before + " kept (source is off on this hub)");
                continue;
            }
            new SourceControl(context, source).syncNow();
            summary.add(source + " " + before + " -> " + size(source));
        }
        return summary.toString();
    }

    private List<String> sourcesWithRejects() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT source FROM ingest_rejects ORDER BY source")
                .mapTo(String.class)
                .list());
    }
}
