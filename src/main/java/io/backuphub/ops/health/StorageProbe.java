package io.backuphub.ops.health;

/**
 * Proves a storage target can take a write, for its readiness check. The hub has one for {@code file:}
 * targets; a bean of this type in the Camel registry adds another kind (such as {@code s3://}).
 */
public interface StorageProbe {

    boolean supports(String targetUri);

    /** Writes and removes something small at the target; throws with an operator-readable message if it cannot. */
    void probe(String targetUri) throws Exception;
}
