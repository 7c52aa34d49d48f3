package io.backuphub.provider.vprotect;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.backuphub.fuzz.FuzzJson;
import io.backuphub.fuzz.SimulatorSamples;
import io.backuphub.provider.Fingerprint;
import io.backuphub.provider.ProviderDataException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;

/**
 * Fuzzing (Jazzer, bounded in time; see the surefire "fuzz" execution): whatever JSON vProtect sends for a
 * backup, the mapper either maps it or rejects it with {@link ProviderDataException}, nothing else.
 */
@Tag("fuzz")
class VProtectBackupMapperFuzzTest {

    private static final FuzzJson BACKUPS = new FuzzJson(SimulatorSamples.VPROTECT_BACKUPS);

    private final VProtectBackupMapper mapper = new VProtectBackupMapper("acme");

    @FuzzTest(maxDuration = "20s")
    void anyBackupJsonIsMappedOrRejectedAsProviderData(FuzzedDataProvider data) {
        JsonNode backup = BACKUPS.next(data);
        try {
            mapper.toCatalogBackup(backup, Fingerprint.of(backup));
        } catch (ProviderDataException rejected) {
            // the documented way to refuse an item
        }
    }
}
