package io.backuphub.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/** Catalog rows written directly, for tests that need a record without a provider behind it. */
final class CatalogRows {

    private CatalogRows() {
    }

    /** A customer, a vProtect instance, one completed backup and one record of it; answers the ids. */
    static long[] customerInstanceBackupRecord(DataSource dataSource, String customer, String recordName,
                                               String contentType, long size, String sha256) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            long customerId = insert(c, "INSERT INTO customers (name, created_at) VALUES (?, ?)", customer, now);
            long instanceId = insert(c, "INSERT INTO backup_instances (customer_id, backup_definition_id, provider, "
                    + "source, source_key, source_json, name, status, created_at, updated_at) VALUES (?, 'vprotect-vm', "
                    + "'vprotect', 'vprotect', ?, '{}', 'big-vm', 'active', ?, ?)", customerId, "vm-" + customer, now, now);
            long backupId = insert(c, "INSERT INTO backups (backup_instance_id, provider, source, provider_backup_id, status, "
                    + "type, started_at, completed_at, size_bytes, warnings_json, fingerprint, created_at, updated_at) "
                    + "VALUES (?, 'vprotect', 'vprotect', ?, 'completed', 'full', ?, ?, ?, '[]', 'f', ?, ?)", instanceId, "b-" + customer,
                    now, now, size, now, now);
            insert(c, "INSERT INTO endpoints (backup_instance_id, name, description) VALUES (?, 'files', 'files')",
                    instanceId);
            long recordId = insert(c, "INSERT INTO records (backup_id, backup_instance_id, endpoint_name, "
                    + "provider_record_id, name, content_type, size_bytes, sha256, created_at) VALUES "
                    + "(?, ?, 'files', ?, ?, ?, ?, ?, ?)", backupId, instanceId, recordName, recordName, contentType,
                    size, sha256, now);
            return new long[] {customerId, instanceId, backupId, recordId};
        }
    }

    private static long insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : 0;
            }
        }
    }
}
