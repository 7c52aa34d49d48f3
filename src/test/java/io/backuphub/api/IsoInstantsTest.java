package io.backuphub.api;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The API writes instants as {@link Instant#toString()} does, character for character. */
class IsoInstantsTest {

    @Test
    void anyInstantIsWrittenAsInstantToStringWritesIt() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            assertEquals(instant.toString(), IsoInstants.format(instant));
        }
    }

    @Test
    void theEdgesOfTheYearsAndDaysAreWrittenAsInstantToStringWritesThem() {
        for (Instant instant : List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("2000-02-29T12:00:00.100Z"),
                Instant.parse("1900-03-01T00:00:00.000001Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("2026-12-01T08:00:00.010200Z"), Instant.parse("0999-01-01T00:00:00Z"))) {
            assertEquals(instant.toString(), IsoInstants.format(instant));
        }
    }

    @Test
    void theApiObjectMapperWritesInstantsSo() throws Exception {
        Instant instant = Instant.parse("2026-01-02T03:04:05.678Z");
        assertEquals("\"2026-01-02T03:04:05.678Z\"", ApiConfiguration.objectMapper().writeValueAsString(instant));
        assertEquals(IsoInstants.Serializer.class, ApiConfiguration.objectMapper().getSerializerProviderInstance()
                .findValueSerializer(Instant.class).getClass());
    }
}
