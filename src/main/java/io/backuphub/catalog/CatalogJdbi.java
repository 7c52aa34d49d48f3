package io.backuphub.catalog;

import java.sql.Connection;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.statement.StatementException;

/**
 * The catalog's one {@link Jdbi} over its pool: rows are mapped by column name (a column {@code copy_id} fills a
 * record component {@code copyId}), timestamps travel as {@code TIMESTAMP WITH TIME ZONE} and come back in UTC,
 * and JSON text columns map to {@code Map<String, String>}, {@code Map<String, Object>} or {@code List<String>}. The same mapping is
 * available on a connection a caller already holds in its transaction ({@link #onConnection}).
 */
public final class CatalogJdbi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogJdbi() {
    }

    /** The catalog's Jdbi (the one it owns: {@link Catalog#jdbi()}). */
    public static Jdbi of(Catalog catalog) {
        return catalog.jdbi();
    }

    /** A Jdbi of the catalog's mapping over its pool: made once, by the {@link Catalog} that owns it. */
    static Jdbi create(DataSource dataSource) {
        return configure(Jdbi.create(dataSource));
    }

    /**
     * Runs {@code work} on a connection the caller holds in its own transaction (a {@link Catalog.Work}): the
     * connection stays open and its transaction is the caller's to commit or roll back.
     */
    public static <T> T onConnection(Connection connection, HandleCallback<T, RuntimeException> work) {
        Jdbi borrowed = configure(Jdbi.create(new ConnectionFactory() {
            @Override
            public Connection openConnection() {
                return connection;
            }

            @Override
            public void closeConnection(Connection toClose) {
                // the caller's: it commits and closes it
            }
        }));
        borrowed.getConfig(Handles.class).setForceEndTransactions(false);
        try (Handle handle = borrowed.open()) {
            return work.withHandle(handle);
        }
    }

    /** Whether a statement failed on a unique constraint (SQLSTATE 23505 in H2 and PostgreSQL alike). */
    public static boolean isUniqueViolation(StatementException e) {
        if (!(e.getCause() instanceof java.sql.SQLException sql)) {
            return false;
        }
        // a batch's failure carries the statement's own error as its next exception (PostgreSQL)
        return "23505".equals(sql.getSQLState()) || sql instanceof java.sql.BatchUpdateException
                && sql.getNextException() != null && "23505".equals(sql.getNextException().getSQLState());
    }

    private static Jdbi configure(Jdbi jdbi) {
        jdbi.registerArgument(new AbstractArgumentFactory<OffsetDateTime>(Types.TIMESTAMP_WITH_TIMEZONE) {
            @Override
            protected Argument build(OffsetDateTime value, ConfigRegistry config) {
                return (position, statement, context) -> statement.setObject(position, value);
            }
        });
        jdbi.registerColumnMapper(OffsetDateTime.class, (rs, column, context) -> {
            OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.withOffsetSameInstant(ZoneOffset.UTC);
        });
        jdbi.registerColumnMapper(new GenericType<Map<String, String>>() { }, (rs, column, context) ->
                json(rs.getString(column), new TypeReference<Map<String, String>>() { }));
        jdbi.registerColumnMapper(new GenericType<List<String>>() { }, (rs, column, context) ->
                json(rs.getString(column), new TypeReference<List<String>>() { }));
        jdbi.registerColumnMapper(new GenericType<Map<String, Object>>() { }, (rs, column, context) ->
                json(rs.getString(column), new TypeReference<Map<String, Object>>() { }));
        return jdbi;
    }

    private static <T> T json(String text, TypeReference<T> type) throws java.sql.SQLException {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new java.sql.SQLException("a JSON column is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
