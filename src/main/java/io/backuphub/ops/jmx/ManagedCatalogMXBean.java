package io.backuphub.ops.jmx;

/** {@code backuphub:type=catalog}: the size of the catalog and the work it keeps to retry. */
public interface ManagedCatalogMXBean {

    long getInstances();

    long getBackups();

    long getRecords();

    /** Provider items the hub could not ingest, kept whole with the reason. */
    long getRejects();

    /** Work kept to retry, over every dead-letter queue (rejects, failed copies, ...). */
    long getDeadLetters();

    /** Tries every dead letter again; returns what happened, in one line. */
    String replayDeadLetters();
}
