package io.backuphub.demo.backupify;

import java.time.Instant;
import java.util.List;

/**
 * An upstream backup; status and completion change as a running backup finishes ({@link #finish}), which changes its
 * list item and so its fingerprint.
 */
public final class SimulatedBackup {

    private final long id;
    private final long instanceId;
    private final String type;
    private final Instant startedAt;
    private volatile String status;
    private volatile Instant completedAt;
    private volatile Long sizeBytes;
    private volatile List<String> warnings = List.of();

    SimulatedBackup(long id, long instanceId, String status, String type, Instant startedAt, Instant completedAt,
                    Long sizeBytes) {
        this.id = id;
        this.instanceId = instanceId;
        this.status = status;
        this.type = type;
        this.startedAt = startedAt;
        this.completedAt = completedAt;
        this.sizeBytes = sizeBytes;
    }

    /** The backup ends with this status now. */
    public SimulatedBackup finish(String newStatus, Instant at, Long size) {
        this.status = newStatus;
        this.completedAt = at;
        this.sizeBytes = size;
        return this;
    }

    public SimulatedBackup warnings(List<String> newWarnings) {
        this.warnings = List.copyOf(newWarnings);
        return this;
    }

    public long id() {
        return id;
    }

    public long instanceId() {
        return instanceId;
    }

    public String status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant completedAt() {
        return completedAt;
    }

    public Long sizeBytes() {
        return sizeBytes;
    }

    public List<String> warnings() {
        return warnings;
    }
}
