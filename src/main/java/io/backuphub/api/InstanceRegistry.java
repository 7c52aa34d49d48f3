package io.backuphub.api;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.catalog.Catalog;
import io.backuphub.catalog.CatalogException;
import io.backuphub.schedule.Frequency;

/** The catalog writes of the instances API: registering an instance and changing its frequency. */
public class InstanceRegistry {

    /** SQLSTATE for a unique-constraint violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Catalog catalog;
    private final ObjectMapper json;
    private final Clock clock;

    public InstanceRegistry(Catalog catalog, ObjectMapper json, Clock clock) {
        this.catalog = catalog;
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
            return catalog.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO backup_instances (customer_id, "
                        + "backup_definition_id, provider, source_key, source_json, name, backup_frequency, status, "
                        + "created_at, updated_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setLong(1, r.customerId());
                    ps.setString(2, r.definitionId());
                    ps.setString(3, r.provider());
                    ps.setString(4, r.sourceKey());
                    ps.setString(5, source);
                    ps.setString(6, r.name());
                    ps.setString(7, r.frequency().value());
                    ps.setObject(8, now);
                    ps.setObject(9, now);
                    ps.setString(10, r.connection());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            });
        } catch (CatalogException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw ApiException.conflict("already_registered", "this " + r.provider() + " source is registered already");
            }
            throw e;
        }
    }

    public void changeFrequency(long instanceId, Frequency frequency) {
        catalog.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE backup_instances SET backup_frequency = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, frequency.value());
                ps.setObject(2, now());
                ps.setLong(3, instanceId);
                return ps.executeUpdate();
            }
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
