package io.backuphub.ops.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.backuphub.ops.StorageTargets;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one storage target: the first probe that knows its kind writes to it. Probes are the
 * {@link StorageProbe} beans in the Camel registry, then the built-in one for {@code file:} targets.
 */
public class StorageHealthCheck extends AbstractHealthCheck {

    private static final StorageProbe FILE = new FileStorageProbe();

    private final String target;

    public StorageHealthCheck(String target) {
        super("backuphub", "storage:" + StorageTargets.label(target));
        this.target = target;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String shown = StorageTargets.label(target);
        builder.detail("target", shown);
        List<StorageProbe> probes = new ArrayList<>(getCamelContext().getRegistry().findByType(StorageProbe.class));
        probes.add(FILE);
        StorageProbe probe = probes.stream().filter(p -> p.supports(target)).findFirst().orElse(null);
        if (probe == null) {
            // a kind of target this build cannot probe yet: not a reason to take the hub out of service
            builder.up().detail("probe", "none").message("no writability probe for " + shown);
            return;
        }
        try {
            probe.probe(target);
            builder.up();
        } catch (Exception e) {
            builder.down().message("storage target " + shown + " is not writable: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage());
        }
    }
}
