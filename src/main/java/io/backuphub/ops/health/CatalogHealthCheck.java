package io.backuphub.ops.health;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import io.backuphub.catalog.Catalog;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

/**
 * Readiness of the catalog: the database answers, and its schema has every migration this build ships
 * (none pending, none failed).
 */
public class CatalogHealthCheck extends AbstractHealthCheck {

    private final Catalog catalog;
    private final Flyway flyway;

    public CatalogHealthCheck(Catalog catalog) {
        super("backuphub", "catalog");
        this.catalog = catalog;
        this.flyway = Flyway.configure().dataSource(catalog.dataSource()).locations("classpath:db/migration").load();
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            catalog.inTransaction(c -> c.isValid(5));
        } catch (RuntimeException e) {
            builder.down().message("catalog database is unreachable: " + e.getMessage());
            return;
        }
        MigrationInfoService info;
        try {
            info = flyway.info();
        } catch (RuntimeException e) {
            builder.down().message("catalog schema history is unreadable: " + e.getMessage());
            return;
        }
        MigrationInfo current = info.current();
        builder.detail("schema.version", current == null ? "none" : current.getVersion().toString());
        MigrationInfo[] failed = Arrays.stream(info.all()).filter(m -> m.getState().isFailed()).toArray(MigrationInfo[]::new);
        MigrationInfo[] pending = info.pending();
        if (failed.length > 0) {
            builder.down().message("catalog migration failed: " + describe(failed) + "; fix it and restart the hub");
        } else if (pending.length > 0) {
            builder.down().message("catalog schema is behind this build: pending " + describe(pending)
                    + "; restart the hub to migrate");
        } else {
            builder.up();
        }
    }

    private static String describe(MigrationInfo[] migrations) {
        return Arrays.stream(migrations).map(m -> "V" + m.getVersion() + " " + m.getDescription())
                .collect(Collectors.joining(", "));
    }
}
