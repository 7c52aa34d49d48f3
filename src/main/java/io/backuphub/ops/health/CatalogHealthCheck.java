package io.backuphub.ops.health;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.backuphub.catalog.Catalog;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Readiness of the catalog: the database answers, and its schema has every migration this build ships
 * (none missing, none failed). The newest migration on the classpath is looked up once; each check then
 * reads Flyway's history table with one query (asking Flyway each time would be slow and log a warning).
 */
public class CatalogHealthCheck extends AbstractHealthCheck {

    private final Catalog catalog;
    private final Flyway flyway;
    private volatile MigrationVersion shipped;

    public CatalogHealthCheck(Catalog catalog) {
        super("backuphub", "catalog");
        this.catalog = catalog;
        this.flyway = Flyway.configure().dataSource(catalog.dataSource()).locations("classpath:db/migration").load();
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Applied applied;
        try {
            applied = catalog.inTransaction(c -> {
                List<MigrationVersion> succeeded = new ArrayList<>();
                List<MigrationVersion> failed = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT \"version\", \"success\" FROM \"flyway_schema_history\" "
                        + "WHERE \"version\" IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        (rs.getBoolean(2) ? succeeded : failed).add(MigrationVersion.fromVersion(rs.getString(1)));
                    }
                }
                return new Applied(succeeded.stream().max(Comparator.naturalOrder()).orElse(MigrationVersion.EMPTY), failed);
            });
        } catch (RuntimeException e) {
            builder.down().message("catalog database is unreachable: " + e.getMessage());
            return;
        }
        builder.detail("schema.version", applied.current().getVersion() == null ? "none" : applied.current().getVersion());
        MigrationVersion needed = shipped();
        if (!applied.failed().isEmpty()) {
            builder.down().message("catalog migration " + applied.failed() + " failed: fix it and restart the hub");
        } else if (needed.compareTo(applied.current()) > 0) {
            builder.down().message("catalog schema is behind this build: at version " + applied.current()
                    + ", this build needs " + needed + "; restart the hub to migrate");
        } else {
            builder.up();
        }
    }

    /** The newest migration this build ships (on the classpath), whatever the database holds. */
    private MigrationVersion shipped() {
        if (shipped == null) {
            shipped = Arrays.stream(flyway.info().all())
                    .filter(m -> m.getState().isResolved())
                    .map(MigrationInfo::getVersion)
                    .max(Comparator.naturalOrder())
                    .orElse(MigrationVersion.EMPTY);
        }
        return shipped;
    }

    private record Applied(MigrationVersion current, List<MigrationVersion> failed) {
    }
}
