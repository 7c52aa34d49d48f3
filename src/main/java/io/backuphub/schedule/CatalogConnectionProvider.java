package io.backuphub.schedule;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.quartz.utils.ConnectionProvider;

/**
 * Quartz's JDBC job store on the catalog's pool: one pool for the catalog and the schedules, and the job store's
 * tables are there before Quartz asks (the pool is handed out only after Flyway has migrated the catalog). Quartz
 * sets auto-commit and isolation on the connections it takes; HikariCP resets both when they come back.
 */
final class CatalogConnectionProvider implements ConnectionProvider {

    private final DataSource catalog;

    CatalogConnectionProvider(DataSource catalog) {
        this.catalog = catalog;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return catalog.getConnection();
    }

    /** Nothing to close: the catalog closes its pool, after the scheduler has stopped. */
    @Override
    public void shutdown() {
    }

    @Override
    public void initialize() {
    }
}
