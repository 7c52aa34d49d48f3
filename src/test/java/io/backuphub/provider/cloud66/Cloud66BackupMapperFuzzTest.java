package io.backuphub.provider.cloud66;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.backuphub.fuzz.FuzzJson;
import io.backuphub.fuzz.SimulatorSamples;
import io.backuphub.provider.ProviderDataException;
import org.junit.jupiter.api.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzing (Jazzer, bounded in time; see the surefire "fuzz" execution): whatever JSON Cloud66 sends for a backup
 * or a files page, the mapper either maps it or rejects it with {@link ProviderDataException}, nothing else.
 */
@Tag("fuzz")
class Cloud66BackupMapperFuzzTest {

    private static final FuzzJson BACKUPS;
    private static final FuzzJson FILES;

    static {
        BACKUPS = new FuzzJson(SimulatorSamples.CLOUD66_BACKUPS);
        List<JsonNode> files = new ArrayList<>(SimulatorSamples.CLOUD66_FILES);
        FILES = new FuzzJson(files);
    }

    private final Cloud66BackupMapper mapper = new Cloud66BackupMapper("acme");
    private final Cloud66Stack stack = new Cloud66Stack("stk-a", "Shop");

    @FuzzTest(maxDuration = "20s")
    void anyBackupOrFilesJsonIsMappedOrRejectedAsProviderData(FuzzedDataProvider data) {
        try {
            mapper.toCatalogBackup(BACKUPS.next(data), stack);
        } catch (ProviderDataException rejected) {
            // the documented way to refuse an item
        }
        try {
            mapper.toRecords("3", FILES.next(data));
        } catch (ProviderDataException rejected) {
            // the documented way to refuse a files page
        }
    }
}
