package io.backuphub.api;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogJdbi;
import io.backuphub.schedule.Frequency;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

/** The catalog writes of the instances API: registering an instance and changing its frequency. */
public class InstanceRegistry {

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;

    public InstanceRegistry(Catalog catalog, ObjectMapper json, Clock clock) {
        this.jdbi = CatalogJdbi.of(catalog);
        this.json = json;
        this.clock = clock;
    }

    /**
     * Inserts the instance; a 409 when the customer has this provider key registered already (on any node). The
     * caller has checked that the customer is the one of the provider account that has the object.
     */
    public long register(Registration r) {
        String source;
        try {
            source = json.writeValueAsString(r.source());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the provider keys", e);
        }
        OffsetDateTime now = now();
        try {
            return jdbi.withHandle(h -> h.createUpdate("INSERT INTO backup_instances (customer_id, backup_definition_id, "
                            + "provider, source_key, source_json, name, backup_frequency, status, created_at, updated_at, source) "
                            + "VALUES (:customerId, :definitionId, :provider, :sourceKey, :source, :name, :frequency, "
                            + "'active', :now, :now, :connection)")
                    .bind("customerId", r.customerId())
                    .bind("definitionId", r.definitionId())
                    .bind("provider", r.provider())
                    .bind("sourceKey", r.sourceKey())
                    .bind("source", source)
                    .bind("name", r.name())
                    .bind("frequency", r.frequency().value())
                    .bind("now", now)
                    .bind("connection", r.connection())
                    .executeAndReturnGeneratedKeys("id")
                    .mapTo(Long.class)
                    .one());
        } catch (StatementException e) {
            if (CatalogJdbi.isUniqueViolation(e)) {
                throw ApiException.conflict("already_registered", "this " + r.provider() + " source is registered already");
            }
            throw e;
        }
    }

    public void changeFrequency(long instanceId, Frequency frequency) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE backup_instances SET backup_frequency = :frequency, updated_at = :now "
                        + "WHERE id = :id")
                .bind("frequency", frequency.value())
                .bind("now", now())
                .bind("id", instanceId)
                .execute());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
