package io.backuphub.provider.vprotect;

import java.util.Optional;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogBackup;

/**
 * vProtect's incremental sync position: the snapshot time (epoch ms) before which every backup is in
 * the catalog in a final state. A backup still queued or running holds it back, so the next poll asks
 * for it again; it is saved only after a page is committed.
 */
public class VProtectCursor {

    static final String SCOPE = "backups";

    private final Catalog catalog;
    /** The connection whose cursor this is. */
    private final String connection;
    private final long startedFrom;
    /** Set when syncing one protected entity: such a sync reads from the cursor but never moves it. */
    private final String entityGuid;
    private Long heldAt;
    private long newestSeen;

    private VProtectCursor(Catalog catalog, String connection, long startedFrom, String entityGuid) {
        this.catalog = catalog;
        this.connection = connection;
        this.startedFrom = startedFrom;
        this.entityGuid = entityGuid;
        this.newestSeen = startedFrom;
    }

    public static VProtectCursor load(Catalog catalog, String connection) {
        Optional<String> stored = catalog.cursor(connection, SCOPE);
        return new VProtectCursor(catalog, connection, stored.map(Long::parseLong).orElse(0L), null);
    }

    /** The same starting point, for one protected entity only. */
    public VProtectCursor forEntity(String guid) {
        return new VProtectCursor(catalog, connection, startedFrom, guid);
    }

    /** The list query's filter part: {@code from} (and the entity, for a one-instance sync). */
    public String query(long overlapMillis) {
        String from = "from=" + fromMillis(overlapMillis);
        return entityGuid == null ? from : from + "&protected-entity=" + entityGuid;
    }

    /** The {@code from} to ask for: a little before the cursor, so late writes at the edge are not missed. */
    public long fromMillis(long overlapMillis) {
        return Math.max(0, startedFrom - overlapMillis);
    }

    public synchronized void observe(CatalogBackup backup) {
        long snapshot = backup.startedAt().toInstant().toEpochMilli();
        newestSeen = Math.max(newestSeen, snapshot);
        if (!backup.status().isFinal()) {
            holdAt(snapshot);
        }
    }

    /** Keeps the cursor at or before this snapshot time, so the next poll reads it again. */
    public synchronized void holdAt(long snapshot) {
        newestSeen = Math.max(newestSeen, snapshot);
        if (heldAt == null || snapshot < heldAt) {
            heldAt = snapshot;
        }
    }

    /** Saves the position reached once a page's backups are committed. */
    public synchronized void pageCommitted() {
        if (entityGuid != null) {
            return;
        }
        long position = heldAt != null ? heldAt : newestSeen;
        catalog.saveCursor(connection, SCOPE, Long.toString(position));
    }
}
