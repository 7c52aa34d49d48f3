package io.backuphub.fanout.storage;

import java.util.Map;

/**
 * One claimed copy: which record goes to which target under which key, with what the source needs to
 * open it (the provider's keys of the instance, the connection {@code source} whose
 * {@code direct:<source>-open-record} opens it), the record's hash if an earlier copy stored it, and how many
 * times the copy has been claimed, this claim included (more than once: an earlier attempt ended without storing it,
 * and a node killed in the middle of one leaves its partial upload behind).
 */
public record CopyTask(
        long copyId,
        long recordId,
        long backupId,
        long instanceId,
        String customer,
        String provider,
        String providerBackupId,
        String endpoint,
        String providerRecordId,
        String recordName,
        String contentType,
        String target,
        String storageKey,
        String recordSha256,
        Map<String, String> instanceSource,
        String source,
        int claims) {

    /** An instance key the source needs (stack uid, entity guid), or a clear error. */
    public String sourceKey(String name) {
        String value = instanceSource.get(name);
        if (value == null) {
            throw new IllegalStateException("instance " + instanceId + " has no provider key " + name);
        }
        return value;
    }

    /** A short name for logs: no URL, no secret. */
    public String describe() {
        return "copy " + copyId + " (record " + recordId + " of backup " + backupId + " to " + target + ")";
    }
}
