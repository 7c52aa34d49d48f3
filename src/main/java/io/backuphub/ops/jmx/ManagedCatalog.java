package io.backuphub.ops.jmx;

import io.backuphub.ops.CatalogStats;
import io.backuphub.ops.deadletter.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MBean of the catalog: counts read from the database, replays delegated to the dead-letter queues. */
public class ManagedCatalog implements ManagedCatalogMXBean {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedCatalog.class);

    private final CatalogStats stats;
    private final DeadLetters deadLetters;

    public ManagedCatalog(CatalogStats stats, DeadLetters deadLetters) {
        this.stats = stats;
        this.deadLetters = deadLetters;
    }

    @Override
    public long getInstances() {
        return stats.count("backup_instances");
    }

    @Override
    public long getBackups() {
        return stats.count("backups");
    }

    @Override
    public long getRecords() {
        return stats.count("records");
    }

    @Override
    public long getRejects() {
        return stats.count("ingest_rejects");
    }

    @Override
    public long getDeadLetters() {
        return deadLetters.size(null);
    }

    @Override
    public String replayDeadLetters() {
        LOG.info("dead letters replay requested by an operator");
        String summary = deadLetters.replay();
        LOG.info("dead letters replayed: {}", summary);
        return summary;
    }
}
