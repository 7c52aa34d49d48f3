package io.backuphub.export;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import io.backuphub.api.ExportFormat;

/**
 * An export a node has claimed to build: which backup, the filters the API stored (content types, empty = all;
 * the date records must be from, or null), the format, and who and what it is about (for the event).
 */
public record ExportJob(long id, long instanceId, long backupId, String customer, String instanceName,
                        String provider, ExportFormat format, String formats, Set<String> contentTypes,
                        LocalDate exportDatetime, boolean sendConfirmation, Instant createdAt) {
}
