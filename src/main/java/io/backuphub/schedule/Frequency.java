package io.backuphub.schedule;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.quartz.CronExpression;

/**
 * A backup instance's {@code backup_frequency}: {@code hourly}, {@code daily}, {@code weekly}, {@code manual}
 * (no schedule) or a Quartz cron expression. The named ones are spread over the hour by instance id, so a
 * thousand daily instances do not all call their provider in the same second.
 */
public final class Frequency {

    private static final Pattern NUMBER = Pattern.compile("\\d{1,2}");
    private static final Pattern UNIX_FIELD = Pattern.compile("[0-9*/,\\-]+");

    private final String value;

    private Frequency(String value) {
        this.value = value;
    }

    /** Parses what a client sent; throws {@link IllegalArgumentException} with a message for the client. */
    public static Frequency parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("backup_frequency is empty: use hourly, daily, weekly, manual "
                    + "or a Quartz cron expression such as '0 0 3 * * ?'");
        }
        String trimmed = text.trim().replaceAll("\\s+", " ");
        String named = trimmed.toLowerCase(Locale.ROOT);
        if (named.equals("hourly") || named.equals("daily") || named.equals("weekly") || named.equals("manual")) {
            return new Frequency(named);
        }
        int fields = trimmed.split(" ").length;
        if (fields < 6 || fields > 7 || !CronExpression.isValidExpression(trimmed)) {
            throw new IllegalArgumentException("backup_frequency '" + trimmed + "' is neither hourly, daily, weekly, "
                    + "manual nor a valid Quartz cron expression (6 or 7 fields: seconds minutes hours day-of-month "
                    + "month day-of-week [year], e.g. '0 0 3 * * ?')");
        }
        return new Frequency(trimmed);
    }

    /** What the catalog stores and the API shows. */
    public String value() {
        return value;
    }

    /** The Quartz cron the hub's own schedule of this instance runs on; empty for manual. */
    public Optional<String> quartzCron(long instanceId) {
        int minute = (int) (instanceId % 60);
        return switch (value) {
            case "manual" -> Optional.empty();
            case "hourly" -> Optional.of("0 " + minute + " * * * ?");
            case "daily" -> Optional.of("0 " + minute + " 2 * * ?");
            case "weekly" -> Optional.of("0 " + minute + " 2 ? * SUN");
            default -> Optional.of(value);
        };
    }

    /**
     * The schedule as a five-field Unix cron (what a provider-side schedule takes), when it can be written as one:
     * whole minutes, no Quartz-only fields (L, W, #) and no year. Named frequencies run at minute 0 there; the
     * hub's own sync of the instance ({@link #quartzCron}) comes later in the hour, once the backup exists.
     */
    public Optional<String> unixCron() {
        Optional<String> quartz = quartzCron(0);
        if (quartz.isEmpty()) {
            return Optional.empty();
        }
        String[] f = quartz.get().split(" ");
        if (!NUMBER.matcher(f[0]).matches() || (f.length == 7 && !f[6].equals("*"))) {
            return Optional.empty();
        }
        String dayOfMonth = f[3].equals("?") ? "*" : f[3];
        String dayOfWeek = f[5].equals("?") ? "*" : unixDayOfWeek(f[5]);
        String[] unix = {f[1], f[2], dayOfMonth, f[4], dayOfWeek};
        for (String field : unix) {
            if (field == null || !UNIX_FIELD.matcher(field).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(String.join(" ", unix));
    }

    /** Quartz counts days of the week 1 (SUN) to 7 (SAT), Unix cron 0 (SUN) to 6; names map the same way. */
    private static String unixDayOfWeek(String quartz) {
        String[] names = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
        String upper = quartz.toUpperCase(Locale.ROOT);
        for (int i = 0; i < names.length; i++) {
            upper = upper.replace(names[i], Integer.toString(i + 1));
        }
        if (!upper.matches("[1-7](-[1-7])?(,[1-7](-[1-7])?)*")) {
            return upper.equals("*") ? "*" : null;
        }
        StringBuilder unix = new StringBuilder();
        for (char c : upper.toCharArray()) {
            unix.append(Character.isDigit(c) ? (char) (c - 1) : c);
        }
        return unix.toString();
    }

    @Override
    public String toString() {
        return value;
    }
}
