package io.backuphub.ops.deadletter;

import org.apache.camel.CamelContext;

/**
 * Copies of backups to storage targets that are waiting to be made. The storage fan-out binds one bean
 * of this type in the Camel registry; without one, nothing is pending.
 */
public interface CopyBacklog {

    /** Copies not yet stored for one source's backups (null: for every source). */
    long pending(String source);

    /** The pending copies the registered backlog reports, or 0 when there is none. */
    static long pendingIn(CamelContext context, String source) {
        CopyBacklog backlog = context.getRegistry().findSingleByType(CopyBacklog.class);
        return backlog == null ? 0 : backlog.pending(source);
    }
}
