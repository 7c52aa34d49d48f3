package io.backuphub.api;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.backuphub.api.model.Backup;
import io.backuphub.api.model.BackupCopy;
import io.backuphub.api.model.BackupInstance;

/**
 * Writers of the items of the busiest lists (instances, backups and their copies), field by field in the order and
 * with the names Jackson's own serializers give them: a page writes twenty of them on every request, and Jackson's
 * record serializers read each field through reflection. {@code ListItemSerializersTest} keeps their output equal to
 * Jackson's for every field of the records, so a field added to a record fails the test until it is written here.
 */
final class ListItemSerializers {

    private ListItemSerializers() {
    }

    /** The module of these serializers, for the API's object mapper. */
    static SimpleModule module() {
        return new SimpleModule("api-list-items")
                .addSerializer(BackupInstance.class, new InstanceWriter())
                .addSerializer(Backup.class, new BackupWriter())
                .addSerializer(BackupCopy.class, new CopyWriter());
    }

    private static final class InstanceWriter extends StdSerializer<BackupInstance> {

        InstanceWriter() {
            super(BackupInstance.class);
        }

        @Override
        public void serialize(BackupInstance instance, JsonGenerator json, SerializerProvider provider)
                throws IOException {
            json.writeStartObject(instance);
            json.writeNumberField("id", instance.id());
            json.writeNumberField("customer_id", instance.customerId());
            json.writeStringField("backup_definition_id", instance.backupDefinitionId());
            json.writeStringField("backup_frequency", instance.backupFrequency());
            json.writeStringField("name", instance.name());
            json.writeStringField("provider", instance.provider());
            strings(json, "source", instance.source());
            json.writeStringField("status", instance.status());
            instant(json, "last_backup_at", instance.lastBackupAt());
            instant(json, "created_at", instance.createdAt());
            instant(json, "updated_at", instance.updatedAt());
            json.writeEndObject();
        }
    }

    private static final class BackupWriter extends StdSerializer<Backup> {

        BackupWriter() {
            super(Backup.class);
        }

        @Override
        public void serialize(Backup backup, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject(backup);
            json.writeNumberField("id", backup.id());
            json.writeNumberField("backup_instance_id", backup.backupInstanceId());
            json.writeStringField("provider_backup_id", backup.providerBackupId());
            json.writeStringField("status", backup.status());
            json.writeStringField("type", backup.type());
            instant(json, "started_at", backup.startedAt());
            instant(json, "completed_at", backup.completedAt());
            number(json, "size_bytes", backup.sizeBytes());
            json.writeFieldName("warnings");
            if (backup.warnings() == null) {
                json.writeNull();
            } else {
                json.writeStartArray();
                for (String warning : backup.warnings()) {
                    json.writeString(warning);
                }
                json.writeEndArray();
            }
            json.writeFieldName("copies");
            List<BackupCopy> copies = backup.copies();
            if (copies == null) {
                json.writeNull();
            } else {
                json.writeStartArray();
                for (BackupCopy copy : copies) {
                    CopyWriter.write(copy, json);
                }
                json.writeEndArray();
            }
            json.writeStringField("provider_status", backup.providerStatus());
            json.writeEndObject();
        }
    }

    private static final class CopyWriter extends StdSerializer<BackupCopy> {

        CopyWriter() {
            super(BackupCopy.class);
        }

        @Override
        public void serialize(BackupCopy copy, JsonGenerator json, SerializerProvider provider) throws IOException {
            write(copy, json);
        }

        static void write(BackupCopy copy, JsonGenerator json) throws IOException {
            if (copy == null) {
                json.writeNull();
                return;
            }
            json.writeStartObject(copy);
            json.writeStringField("target", copy.target());
            json.writeStringField("status", copy.status());
            json.writeStringField("sha256", copy.sha256());
            instant(json, "stored_at", copy.storedAt());
            json.writeNumberField("record_id", copy.recordId());
            json.writeStringField("record_name", copy.recordName());
            number(json, "size_bytes", copy.sizeBytes());
            json.writeEndObject();
        }
    }

    private static void instant(JsonGenerator json, String name, Instant value) throws IOException {
        json.writeStringField(name, value == null ? null : IsoInstants.format(value));
    }

    private static void number(JsonGenerator json, String name, Long value) throws IOException {
        json.writeFieldName(name);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }

    private static void strings(JsonGenerator json, String name, Map<String, String> values) throws IOException {
        json.writeFieldName(name);
        if (values == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject(values);
        for (Map.Entry<String, String> entry : values.entrySet()) {
            json.writeStringField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }
}
