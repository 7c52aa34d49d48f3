package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, the index on backups(status) goes. H2 estimates an equality on an index as matching at most 1 % of the rows,
 * however few values the column takes, so it preferred that index for any query naming a status: the copies of a
 * page of new backups ({@code status IN ('completed', 'partial') AND id BETWEEN ...}) were looked up by scanning
 * every completed backup of the catalog, a cost that grew with the catalog (20,001 rows read for a page of 1,000 at
 * 20,000 backups). Without it the same query reads the page's id range; the one query that used it well (failed backups
 * not yet notified, every 10 minutes) reads the backups in id order instead. One index entry fewer per backup too.
 *
 * <p>PostgreSQL keeps the index: its planner knows how the statuses are spread.
 */
public class V104__H2_backups_status_index extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        H2Only.run(context, statement -> statement.execute("DROP INDEX IF EXISTS ix_backups_status"));
    }
}
