package io.backuphub.api;

import java.util.Set;

/**
 * Who is calling the API and which customers' objects it may see. Everything outside them is answered with
 * 404, exactly as if it did not exist.
 *
 * @param client      a name for logs (the OAuth client id, or the position of a static token), never the token
 * @param customerIds the visible customers' ids, or {@code null} for every customer
 */
public record Caller(String client, Set<Long> customerIds) {

    public static final String PROPERTY = "backupHubApiCaller";

    public boolean seesAll() {
        return customerIds == null;
    }

    public boolean sees(long customerId) {
        return customerIds == null || customerIds.contains(customerId);
    }
}
