package io.backuphub.provider.backupify;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * A throttled call (429) is redelivered after the upstream's {@code Retry-After} (seconds), at most the longest
 * redelivery delay; without one, after the usual exponential back-off. Camel's error handler takes a message's
 * {@link Exchange#REDELIVERY_DELAY} header over its policy's delay.
 */
final class BackupifyRetryAfter {

    private BackupifyRetryAfter() {
    }

    static boolean isThrottled(Throwable failure) {
        return cause(failure) != null;
    }

    /** Runs when the failure occurs, before the error handler computes the delay of the next attempt. */
    static void honour(Exchange exchange, long maxDelayMillis) {
        HttpOperationFailedException throttled = cause(exchange.getException());
        Long seconds = throttled == null ? null : retryAfterSeconds(throttled.getResponseHeaders());
        if (seconds == null) {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        } else {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, Math.min(maxDelayMillis, seconds * 1000));
        }
    }

    static Long retryAfterSeconds(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if ("Retry-After".equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                try {
                    return Math.max(0, Long.parseLong(header.getValue().trim()));
                } catch (NumberFormatException e) {
                    return null; // an HTTP date: the usual back-off
                }
            }
        }
        return null;
    }

    private static HttpOperationFailedException cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode() == 429 ? http : null;
            }
        }
        return null;
    }
}
