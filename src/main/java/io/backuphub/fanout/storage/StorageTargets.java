package io.backuphub.fanout.storage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The configured storage targets ({@code hub.storage.targets}, a comma list), in order. */
public class StorageTargets {

    private final List<StorageTarget> targets;

    public StorageTargets(List<StorageTarget> targets) {
        this.targets = List.copyOf(targets);
    }

    public static StorageTargets parse(String commaList) {
        List<StorageTarget> targets = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String part : commaList == null ? new String[0] : commaList.split(",")) {
            if (!part.isBlank()) {
                StorageTarget target = StorageTarget.parse(part);
                if (seen.add(target.uri())) {
                    targets.add(target);
                }
            }
        }
        return new StorageTargets(targets);
    }

    public List<StorageTarget> all() {
        return targets;
    }

    /** The target a copy row names; a row for a target no longer configured is an error, not a guess. */
    public StorageTarget get(String uri) {
        return targets.stream().filter(t -> t.uri().equals(uri)).findFirst()
                .orElseThrow(() -> new IllegalStateException("storage target '" + uri
                        + "' is no longer in hub.storage.targets"));
    }

    public List<String> uris() {
        return targets.stream().map(StorageTarget::uri).toList();
    }
}
