package io.backuphub.api.model;

import java.time.Instant;

/** A customer as the v1 API shows it (names come from configuration; ids are the hub's). */
public record Customer(long id, String name, Instant createdAt) {
}
