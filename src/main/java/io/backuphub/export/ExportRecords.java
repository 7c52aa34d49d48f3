package io.backuphub.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import io.backuphub.api.BlobStore;
import io.backuphub.catalog.Catalog;
import io.backuphub.fanout.storage.CopyQueue;
import io.backuphub.fanout.storage.StorageLayout;

/**
 * What goes into an export's archive: the records of its backup that match its content types and date and whose
 * bytes the hub keeps (what the fan-out copies), read from the local file storage. Records the provider offers
 * no download of (the provider's API cannot open them) are left out. A record the hub keeps but has not stored yet makes the
 * export wait, up to {@code hub.exports.max-wait-minutes} after it was requested; then it fails, naming them.
 */
public class ExportRecords {

    private final Catalog catalog;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration maxWait;

    public ExportRecords(Catalog catalog, BlobStore blobs, Clock clock, Duration maxWait) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.clock = clock;
        this.maxWait = maxWait;
    }

    /** The entries of the archive, in a stable order (endpoint, then record id). */
    public List<ExportEntry> entries(ExportJob job) {
        if (!blobs.hasRoot()) {
            throw new ExportFailure("exports need a file: storage target in hub.storage.targets");
        }
        List<ExportEntry> entries = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Kept record : kept(job)) {
            String key = StorageLayout.recordKey(job.customer(), job.instanceId(), job.backupId(), record.name());
            Optional<Path> file = blobs.locate(key);
            if (file.isEmpty()) {
                missing.add(record.name());
            } else {
                entries.add(new ExportEntry(record.id(), record.endpoint() + "/" + StorageLayout.safeSegment(record.name()),
                        file.get(), size(file.get()), record.sha256()));
            }
        }
        if (!missing.isEmpty()) {
            String what = missing.size() + " record(s) of backup " + job.backupId() + " not stored yet: "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                    + (missing.size() > 5 ? ", ..." : "");
            if (clock.instant().isAfter(job.createdAt().plus(maxWait))) {
                throw new ExportFailure(what + " (waited " + maxWait.toMinutes() + " minutes)");
            }
            throw new ExportWaiting(what);
        }
        if (entries.isEmpty()) {
            throw new ExportFailure("nothing to export: backup " + job.backupId() + " has no stored record"
                    + (job.contentTypes().isEmpty() ? "" : " of content types " + String.join(", ", job.contentTypes()))
                    + (job.exportDatetime() == null ? "" : " from " + job.exportDatetime()));
        }
        return entries;
    }

    private record Kept(long id, String endpoint, String name, String sha256) {
    }

    private List<Kept> kept(ExportJob job) {
        List<String> types = List.copyOf(job.contentTypes());
        String sql = "SELECT r.id, r.endpoint_name, r.name, r.sha256 FROM records r JOIN backups b ON b.id = r.backup_id "
                + "WHERE r.backup_id = ? AND " + CopyQueue.COPYABLE
                + (types.isEmpty() ? "" : " AND LOWER(r.content_type) IN ("
                        + String.join(", ", Collections.nCopies(types.size(), "?")) + ")")
                + (job.exportDatetime() == null ? "" : " AND r.created_at >= ?")
                + " ORDER BY r.endpoint_name, r.id";
        return catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int p = 1;
                ps.setLong(p++, job.backupId());
                for (String type : types) {
                    ps.setString(p++, type);
                }
                if (job.exportDatetime() != null) {
                    ps.setObject(p, job.exportDatetime().atStartOfDay().atOffset(ZoneOffset.UTC));
                }
                List<Kept> kept = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        kept.add(new Kept(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
                return kept;
            }
        });
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
