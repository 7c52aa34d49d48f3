package io.backuphub.api.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A kind of thing the hub backs up, per provider ({@code cloud66-mysql}, {@code vprotect-vm}, ...). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupDefinition(String id, String provider, String name, String description, Instant createdAt) {
}
