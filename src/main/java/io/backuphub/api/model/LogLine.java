package io.backuphub.api.model;

import java.time.Instant;

/** One line of an instance's log: a sync of it, or something that happened to one of its backups. */
public record LogLine(Instant loggedAt, String level, String kind, Long backupId, String message) {
}
