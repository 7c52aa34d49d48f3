package io.backuphub.api;

import java.util.Locale;
import java.util.Set;

/** The states of an export: queued → running → completed or failed (a queued export may also fail). */
public enum ExportStatus {
    QUEUED, RUNNING, COMPLETED, FAILED;

    /** The states an export may move to this one from. */
    public Set<ExportStatus> from() {
        return switch (this) {
            case QUEUED -> Set.of();
            case RUNNING -> Set.of(QUEUED);
            case COMPLETED -> Set.of(RUNNING);
            case FAILED -> Set.of(QUEUED, RUNNING);
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
