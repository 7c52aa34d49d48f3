package io.backuphub.api;

import java.util.List;

/** One page of a list, with the total the {@code X-Total-Count} and {@code Link} headers are made from. */
public record Page<T>(List<T> items, long total, PageRequest request) {

    /** The number of the last page (1 for an empty list). */
    public long lastPage() {
        return Math.max(1, (total + request.perPage() - 1) / request.perPage());
    }
}
