package io.backuphub.api.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One line of an instance's log: a sync of it, or something that happened to one of its backups. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LogLine(Instant loggedAt, String level, String kind, Long backupId, String message) {
}
