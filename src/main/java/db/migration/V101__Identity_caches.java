package db.migration;

import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, the identity columns of the tables that take rows per backup hand out ids from a large cache. H2 keeps an
 * identity's next value on disk and writes it again each time its cache (32 ids by default) runs out, in a commit of
 * its own; with {@code WRITE_DELAY=0} each such commit writes every changed page of the open transactions, so a page
 * of 1,000 backups was written to disk about 30 times before it committed (half the ingest's time, and most of the
 * file's growth). A larger cache changes no id: ids stay ascending, and a crash skips at most a cache's worth.
 *
 * <p>PostgreSQL is left as it is: its sequences cost no commit, and their cache is per session (ids of two sessions
 * would interleave out of order).
 */
public class V101__Identity_caches extends BaseJavaMigration {

    /** Ids each identity hands out between two writes of its next value. */
    static final long CACHE = 100_000;
    /** The tables that gain rows with every backup ingested, copied or logged. */
    static final List<String> TABLES = List.of("backups", "records", "copies", "instance_logs",
            "notification_deliveries");

    @Override
    public void migrate(Context context) throws Exception {
        H2Only.run(context, statement -> {
            for (String table : TABLES) {
                statement.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE " + CACHE);
            }
        });
    }
}
