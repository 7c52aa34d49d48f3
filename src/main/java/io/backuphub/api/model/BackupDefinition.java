package io.backuphub.api.model;

import java.time.Instant;

/** A kind of thing the hub backs up, per provider ({@code cloud66-mysql}, {@code vprotect-vm}, ...). */
public record BackupDefinition(String id, String provider, String name, String description, Instant createdAt) {
}
