package io.backuphub.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.backuphub.api.model.Backup;
import io.backuphub.api.model.BackupCopy;
import io.backuphub.api.model.BackupInstance;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The API writes instances, backups and copies exactly as Jackson's own record serializers write them (the same
 * fields, names, order, nulls and text), every field set and every nullable field null.
 */
class ListItemSerializersTest {

    /** The API's JSON as it was before the list items got writers of their own. */
    private final ObjectMapper jackson = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final ObjectMapper api = ApiConfiguration.objectMapper();

    @Test
    void anInstanceIsWrittenAsJacksonWritesIt() throws Exception {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("stack_uid", "s-1 \"quoted\" é");
        source.put("database_name", null);
        same(new BackupInstance(7, 3, "cloud66-mysql", "daily", "db", "cloud66", source, "active",
                Instant.parse("2026-01-02T03:04:05.123Z"), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-02T03:04:05.123456789Z")));
        same(new BackupInstance(8, 4, null, null, null, null, null, null, null, null, null));
        same(new BackupInstance(9, 4, "x", "manual", "n", "p", Map.of(), "paused", null, Instant.EPOCH, Instant.MAX));
    }

    @Test
    void aBackupWithItsCopiesIsWrittenAsJacksonWritesIt() throws Exception {
        BackupCopy stored = new BackupCopy("file:/copies", "stored", "abc", Instant.parse("2026-03-04T05:06:07Z"), 11,
                "manifest.json", 2048L);
        BackupCopy pending = new BackupCopy(null, "pending", null, null, 12, null, null);
        same(new Backup(1, 7, "b-1", "completed", "full", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:05:00.5Z"), 1048576L, List.of("slow", "partial"),
                List.of(stored, pending), "SUCCESS"));
        same(new Backup(2, 7, null, null, null, null, null, null, null, null, null));
        same(new Backup(3, 7, "b-3", "failed", "incremental", null, null, 0L, Arrays.asList("a", null), List.of(),
                "0"));
        same(List.of(stored, pending));
    }

    @Test
    void theApiObjectMapperWritesThemWithTheirOwnWriters() throws Exception {
        for (Class<?> type : List.of(BackupInstance.class, Backup.class, BackupCopy.class)) {
            assertEquals(ListItemSerializers.class, api.getSerializerProviderInstance().findValueSerializer(type)
                    .getClass().getEnclosingClass(), type.getSimpleName());
        }
    }

    private void same(Object value) throws Exception {
        assertEquals(jackson.writeValueAsString(value), api.writeValueAsString(value));
        assertEquals(jackson.writeValueAsString(List.of(value, value)), api.writeValueAsString(List.of(value, value)));
    }
}
