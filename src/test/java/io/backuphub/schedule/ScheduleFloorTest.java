package io.backuphub.schedule;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleFloorTest {

    private static Optional<Duration> gap(String frequency) {
        return ScheduleFloor.shortestGap(Frequency.parse(frequency));
    }

    @Test
    void theShortestGapIsTheSmallestDistanceBetweenTwoConsecutiveFireTimes() {
        assertEquals(Optional.of(Duration.ofSeconds(1)), gap("* * * * * ?"));
        assertEquals(Optional.of(Duration.ofMinutes(15)), gap("0 0/15 * * * ?"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), gap("0 0,5 3 * * ?"), "two runs close together once a day");
        assertEquals(Optional.of(Duration.ofHours(1)), gap("hourly"));
        assertEquals(Optional.of(Duration.ofDays(7)), gap("weekly"));
        assertEquals(Optional.empty(), gap("manual"));
        assertEquals(Optional.empty(), gap("0 0 3 1 1 ? 2098"), "fires once: no gap");
    }

    @Test
    void aFrequencyFasterThanTheMinimumIsRefusedWithAMessageNamingTheMinimum() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ScheduleFloor.require(Frequency.parse("0 0/10 * * * ?"), "cloud66", Duration.ofMinutes(15)));
        assertTrue(refused.getMessage().contains("every 10 minutes") && refused.getMessage().contains("every 15 minutes"),
                refused.getMessage());
        assertDoesNotThrow(() -> ScheduleFloor.require(Frequency.parse("0 0/15 * * * ?"), "cloud66", Duration.ofMinutes(15)));
        assertDoesNotThrow(() -> ScheduleFloor.require(Frequency.parse("* * * * * ?"), "cloud66", Duration.ZERO),
                "no minimum configured");
    }
}
