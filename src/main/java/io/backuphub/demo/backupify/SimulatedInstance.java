package io.backuphub.demo.backupify;

import java.time.Instant;

/** An upstream backup_instance: its id, definition, name and the upstream's own provider of it. */
public record SimulatedInstance(long id, String definitionId, String name, String provider, Instant createdAt) {
}
