package io.backuphub.schedule;

import io.backuphub.provider.Connections;

import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;

import org.apache.camel.CamelContext;
import org.quartz.CronExpression;

/**
 * The shortest interval a {@code backup_frequency} set through the API may have for a provider
 * (the connection's {@code min-schedule-interval-seconds}): each run of an instance calls the provider, and every
 * customer's instances share the provider account's request budget, so one instance must not run every second.
 */
public final class ScheduleFloor {

    /** How many fire times ahead are compared: enough to meet every pattern of a cron that repeats within a year. */
    static final int FIRE_TIMES = 200;

    private ScheduleFloor() {
    }

    /** The configured minimum of a connection; zero when it has none. */
    public static Duration minimum(CamelContext context, String connection) {
        String value = Connections.of(context).find(connection)
                .map(c -> c.setting("min-schedule-interval-seconds")).orElse("0").trim();
        return Duration.ofSeconds(value.isEmpty() ? 0 : Long.parseLong(value));
    }

    /**
     * Throws {@link IllegalArgumentException} (with a message for the client that names the minimum) when the
     * frequency would run more often than {@code minimum}; {@code manual} and a cron that fires once pass.
     */
    public static void require(Frequency frequency, String provider, Duration minimum) {
        if (minimum.isZero() || minimum.isNegative()) {
            return;
        }
        shortestGap(frequency).filter(gap -> gap.compareTo(minimum) < 0).ifPresent(gap -> {
            throw new IllegalArgumentException("backup_frequency '" + frequency + "' runs as often as every "
                    + describe(gap) + "; " + provider + " instances may run at most every " + describe(minimum)
                    + " (" + provider + " connection's min-schedule-interval-seconds = " + minimum.toSeconds() + ")");
        });
    }

    /**
     * The smallest gap between consecutive fire times of the frequency's cron over its next {@link #FIRE_TIMES} fire
     * times (UTC); empty for {@code manual} or a cron that fires at most once from now on.
     */
    public static Optional<Duration> shortestGap(Frequency frequency) {
        Optional<String> cron = frequency.quartzCron(0);
        if (cron.isEmpty()) {
            return Optional.empty();
        }
        CronExpression expression;
        try {
            expression = new CronExpression(cron.get());
        } catch (ParseException e) {
            throw new IllegalArgumentException("backup_frequency '" + frequency + "' is not a valid Quartz cron", e);
        }
        expression.setTimeZone(TimeZone.getTimeZone("UTC"));
        Date previous = expression.getNextValidTimeAfter(new Date());
        Duration shortest = null;
        for (int i = 0; previous != null && i < FIRE_TIMES; i++) {
            Date next = expression.getNextValidTimeAfter(previous);
            if (next == null) {
                break;
            }
            Duration gap = Duration.ofMillis(next.getTime() - previous.getTime());
            if (shortest == null || gap.compareTo(shortest) < 0) {
                shortest = gap;
            }
            previous = next;
        }
        return Optional.ofNullable(shortest);
    }

    private static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + (s == 3600 ? " hour" : " hours");
        }
        if (s % 60 == 0) {
            return s / 60 + (s == 60 ? " minute" : " minutes");
        }
        return s + (s == 1 ? " second" : " seconds");
    }
}
