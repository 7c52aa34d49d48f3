package io.backuphub.api;

/**
 * Which page a list request asks for: {@code page} from 1, {@code per_page} 1..100 (default 20). Anything else
 * is a 400, not silently clamped, so a client's paging bug shows.
 */
public record PageRequest(int page, int perPage) {

    public static final int DEFAULT_PER_PAGE = 20;
    public static final int MAX_PER_PAGE = 100;

    public static PageRequest of(String page, String perPage) {
        int p = positive("page", page, 1, Integer.MAX_VALUE);
        int size = positive("per_page", perPage, DEFAULT_PER_PAGE, MAX_PER_PAGE);
        return new PageRequest(p, size);
    }

    public long offset() {
        return (long) (page - 1) * perPage;
    }

    private static int positive(String name, String value, int byDefault, int max) {
        if (value == null || value.isBlank()) {
            return byDefault;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(name, "'" + value + "' is not a whole number");
        }
        if (n < 1 || n > max) {
            throw ApiException.invalidParameter(name, "must be between 1 and " + max + ", was " + n);
        }
        return n;
    }
}
