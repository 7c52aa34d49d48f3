package io.backuphub.api;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids are parsed strictly: nothing around the digits is trimmed away into another id. */
class ParamsTest {

    @Test
    void anIdIsAPlainPositiveIntegerAndNothingAroundItIsTrimmed() {
        assertEquals(1, Params.id("backup_instance_id", "1"));
        assertEquals(123456789012345678L, Params.id("backup_instance_id", "123456789012345678"));
        for (String bad : List.of("1\u0000", "\u00001", " 1", "1 ", "1\n", "\t1", "01", "-1", "+1", "0", "1.0", "1e3",
                "..", ".", "", "99999999999999999999", "0x1", "\uff11", "1/..")) {
            ApiException error = assertThrows(ApiException.class, () -> Params.id("backup_instance_id", bad), bad);
            assertEquals(400, error.status());
            assertEquals("invalid_parameter", error.code());
            assertFalse(error.getMessage().contains("\u0000"), error.getMessage());
        }
        assertTrue(Params.printable("1\u0000").contains("\\u0000"));
    }

    @Test
    void aMissingFlagIsA400NotANullPointer() {
        ApiException error = assertThrows(ApiException.class, () -> Params.flag("force_full", null));
        assertEquals(400, error.status());
    }
}
