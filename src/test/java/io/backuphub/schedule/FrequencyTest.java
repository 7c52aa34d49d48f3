package io.backuphub.schedule;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrequencyTest {

    @Test
    void namedFrequenciesAreSpreadOverTheHourByInstance() {
        assertEquals(Optional.of("0 7 * * * ?"), Frequency.parse("hourly").quartzCron(67));
        assertEquals(Optional.of("0 7 2 * * ?"), Frequency.parse("Daily").quartzCron(7));
        assertEquals(Optional.of("0 0 2 ? * SUN"), Frequency.parse("weekly").quartzCron(120));
        assertEquals(Optional.empty(), Frequency.parse("manual").quartzCron(1));
    }

    @Test
    void aQuartzCronIsKeptAsGiven() {
        assertEquals("0 0/5 * * * ?", Frequency.parse("  0   0/5 * * * ? ").value());
        assertEquals(Optional.of("0 15 3 ? * MON-FRI 2030"), Frequency.parse("0 15 3 ? * MON-FRI 2030").quartzCron(9));
    }

    @Test
    void anythingElseIsRejectedWithAnExplanation() {
        for (String bad : new String[] {null, "", "often", "* * * * *", "0 0 0 32 * ?", "0 0 0 * * ? * extra"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Frequency.parse(bad));
            assertEquals(true, e.getMessage().contains("Quartz cron"), e.getMessage());
        }
    }

    @Test
    void cloud66GetsAFiveFieldCronWhenTheScheduleFitsOne() {
        assertEquals(Optional.of("0 * * * *"), Frequency.parse("hourly").unixCron());
        assertEquals(Optional.of("0 2 * * *"), Frequency.parse("daily").unixCron());
        assertEquals(Optional.of("0 2 * * 0"), Frequency.parse("weekly").unixCron());
        assertEquals(Optional.of("30 */6 * * *"), Frequency.parse("0 30 */6 * * ?").unixCron());
        assertEquals(Optional.of("0 3 * * 1-5"), Frequency.parse("0 0 3 ? * MON-FRI").unixCron());
        assertEquals(Optional.of("0 3 * * 0,6"), Frequency.parse("0 0 3 ? * 1,7").unixCron());
        assertEquals(Optional.empty(), Frequency.parse("manual").unixCron());
        assertEquals(Optional.empty(), Frequency.parse("0/10 * * * * ?").unixCron(), "seconds do not fit");
        assertEquals(Optional.empty(), Frequency.parse("0 0 3 L * ?").unixCron(), "Quartz-only field");
        assertEquals(Optional.empty(), Frequency.parse("0 0 3 * * ? 2030").unixCron(), "a year does not fit");
    }
}
