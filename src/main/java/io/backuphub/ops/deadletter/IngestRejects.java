package io.backuphub.ops.deadletter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import io.backuphub.catalog.Catalog;
import io.backuphub.ops.HubSources;
import io.backuphub.ops.SourceControl;
import org.apache.camel.CamelContext;

/**
 * Provider items the hub could not ingest (table {@code ingest_rejects}). A replay syncs each source that
 * has some again: an item the provider still sends and the hub now reads leaves the table (the catalog
 * removes the reject when the backup lands). Items a cursor-based source has moved past stay until a
 * full re-read of that source.
 */
public class IngestRejects implements DeadLetterQueue {

    public static final String NAME = "ingest-rejects";

    private final CamelContext context;
    private final Catalog catalog;

    public IngestRejects(CamelContext context, Catalog catalog) {
        this.context = context;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long size(String source) {
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(source == null
                    ? "SELECT COUNT(*) FROM ingest_rejects"
                    : "SELECT COUNT(*) FROM ingest_rejects WHERE source = ?")) {
                if (source != null) {
                    ps.setString(1, source);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
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
        return catalog.inTransaction(c -> {
            List<String> sources = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT source FROM ingest_rejects ORDER BY source");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sources.add(rs.getString(1));
                }
            }
            return sources;
        });
    }
}
