package io.backuphub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;

/** Sizes of the catalog and how far behind each provider it is, for JMX and metrics. */
public class CatalogStats {

    private final Catalog catalog;
    private final Clock clock;

    public CatalogStats(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    public long count(String table) {
        return catalog.count(table);
    }

    /**
     * Lag of a provider: now minus the start of the newest backup of it in the catalog; empty while the
     * catalog has none. Never negative (a provider clock ahead of ours is no lag).
     */
    public Optional<Duration> lag(String provider) {
        OffsetDateTime newest = CatalogJdbi.of(catalog).withHandle(h -> h.createQuery(
                        "SELECT MAX(started_at) FROM backups WHERE provider = :provider")
                .bind("provider", provider)
                .mapTo(OffsetDateTime.class)
                .one());
        if (newest == null) {
            return Optional.empty();
        }
        Duration lag = Duration.between(newest.toInstant(), clock.instant());
        return Optional.of(lag.isNegative() ? Duration.ZERO : lag);
    }
}
