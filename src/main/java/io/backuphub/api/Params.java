package io.backuphub.api;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parsing of path, query and body parameters, each failure a 400 that names the parameter. */
public final class Params {

    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private Params() {
    }

    /**
     * A positive integer id, exactly as sent: digits without a sign, leading zeros, whitespace or anything else
     * around them (a trailing NUL or space is not trimmed into another id).
     */
    public static long id(String name, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw ApiException.invalidParameter(name,
                    "'" + printable(value) + "' is not an id (a positive whole number)");
        }
        return Long.parseLong(value);
    }

    /** The client's text for a message: control characters shown as their code (backslash, u, four hex digits), and no more than 100 characters. */
    static String printable(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 100; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > 100 ? out + "..." : out.toString();
    }

    /** A date as YYYY-MM-DD. */
    public static LocalDate date(String name, String value) {
        if (value == null || !DATE.matcher(value.trim()).matches()) {
            throw ApiException.invalidParameter(name, "'" + value + "' is not a date (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.invalidParameter(name, "'" + value + "' is not a calendar date");
        }
    }

    /** true/false (also 1/0, yes/no). */
    public static boolean flag(String name, String value) {
        if (value == null) {
            throw ApiException.invalidParameter(name, "is missing (true or false)");
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.invalidParameter(name, "'" + value + "' is not true or false");
        };
    }
}
