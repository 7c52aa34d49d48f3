package io.backuphub.api.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A customer as the v1 API shows it (names come from configuration; ids are the hub's). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Customer(long id, String name, Instant createdAt) {
}
