package io.backuphub.api;

import java.util.Map;

import io.backuphub.schedule.Frequency;

/**
 * A backup instance a client registers: its customer, definition, frequency and the provider's keys for it.
 * {@code sourceKey} is what ingestion derives from the provider's backups, so they attach to this instance. An
 * instance belongs to the provider account that has the object ({@code hub.sources.<connection>.customer}): a registration
 * is accepted only for that account's customer, and the key is unique per customer. {@code connection} is the
 * provider account (connection) the instance is polled through.
 */
public record Registration(long customerId, String definitionId, String provider, Frequency frequency,
                           String sourceKey, Map<String, String> source, String name, String connection) {
}
