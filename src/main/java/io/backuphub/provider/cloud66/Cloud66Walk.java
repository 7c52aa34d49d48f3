package io.backuphub.provider.cloud66;

import java.time.Duration;
import java.time.Instant;

import io.backuphub.catalog.Catalog;
import org.apache.camel.Exchange;

/**
 * How far a poll walks one stack's backups, which Cloud66 lists newest first with no time filter. A full
 * walk reads every page (the first poll, and then every {@code hub.cloud66.full-walk-interval-hours});
 * in between, the walk stops after {@code hub.cloud66.quiet-pages} pages in a row whose backups the
 * catalog already has exactly as sent — so a stack with 100,000 backups costs a few requests per poll,
 * not thousands, and stays far below Cloud66's hourly rate limit.
 */
public class Cloud66Walk {

    public static final String PROPERTY = "cloud66Walk";

    private final String scope;
    private final boolean full;
    private final int quietPagesToStop;
    private int quietPages;
    private boolean pageChanged;
    /** The connection whose cursors keep the walk. */
    private final String connection;
    private volatile boolean incomplete;

    private Cloud66Walk(String connection, String scope, boolean full, int quietPagesToStop) {
        this.connection = connection;
        this.scope = scope;
        this.full = full;
        this.quietPagesToStop = quietPagesToStop;
    }

    /** Starts the walk of a stack (or of one db_type of it), full when the last full walk is too old. */
    public static Cloud66Walk start(Catalog catalog, String connection, String scope, Duration fullWalkInterval,
                                    int quietPagesToStop) {
        boolean full = catalog.cursor(connection, cursorScope(scope))
                .map(Instant::parse)
                .map(last -> last.plus(fullWalkInterval).isBefore(Instant.now()))
                .orElse(true);
        return new Cloud66Walk(connection, scope, full, quietPagesToStop);
    }

    /** Marks the current page as having had something to do (a new, changed or failed backup). */
    public static void changed(Exchange exchange) {
        Cloud66Walk walk = exchange.getProperty(PROPERTY, Cloud66Walk.class);
        if (walk != null) {
            walk.markChanged();
        }
    }

    private synchronized void markChanged() {
        pageChanged = true;
    }

    /** The page to read next once the current page is done, or null to stop here. */
    public synchronized Integer afterPage(Integer providerNext) {
        quietPages = pageChanged ? 0 : quietPages + 1;
        pageChanged = false;
        if (!full && quietPages >= quietPagesToStop) {
            return null;
        }
        return providerNext;
    }

    /**
     * Something could not be read (a backup or a page the provider kept failing): the next poll walks
     * every page again, so nothing deep in the history is left behind.
     */
    public static void failed(Exchange exchange, Catalog catalog) {
        Cloud66Walk walk = exchange.getProperty(PROPERTY, Cloud66Walk.class);
        if (walk != null) {
            walk.markChanged();
            walk.incomplete = true;
            catalog.deleteCursor(walk.connection, cursorScope(walk.scope));
        }
    }

    /** Called when the walk got to its end without failing: a full walk is remembered in the catalog. */
    public void completed(Catalog catalog) {
        if (full && !incomplete) {
            catalog.saveCursor(connection, cursorScope(scope), Instant.now().toString());
        }
    }

    private static String cursorScope(String scope) {
        return "full-walk:" + scope;
    }
}
