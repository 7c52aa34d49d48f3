package io.backuphub.provider;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.http.base.HttpOperationFailedException;

/** Turns a failed provider call into one line an operator can act on, with no secrets in it. */
public final class ProviderFailures {

    private ProviderFailures() {
    }

    public static String describe(String source, Throwable failure) {
        Throwable cause = rootOf(failure);
        if (cause instanceof HttpOperationFailedException http) {
            String call = withoutQuery(http.getUri());
            return switch (http.getStatusCode()) {
                case 401 -> source + " refused the credentials (401) at " + call + ": check " + credentialHint(source);
                case 403 -> source + " denied access (403) at " + call + ": the credentials lack a scope or privilege";
                case 429, 503 -> source + " is throttling or unavailable (" + http.getStatusCode() + ") at " + call
                        + "; will retry on the next schedule";
                default -> source + " answered " + http.getStatusCode() + " " + http.getStatusText() + " at " + call;
            };
        }
        if (cause instanceof JsonProcessingException json) {
            return source + " sent malformed JSON: " + json.getOriginalMessage();
        }
        if (cause instanceof ConnectException || cause instanceof SocketTimeoutException) {
            return source + " is unreachable: " + cause.getMessage();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Whether a failure is worth retrying: throttling, server errors and timeouts, not bad requests. */
    public static boolean isTransient(Throwable failure) {
        Throwable cause = rootOf(failure);
        if (cause instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            return status == 408 || status == 429 || status >= 500;
        }
        return cause instanceof java.io.IOException && !(cause instanceof JsonProcessingException);
    }

    /**
     * Whether the provider refused the request itself (a 4xx other than 401, 403, 408 and 429): the request asked
     * for something wrong, the provider is neither down nor refusing the hub's credentials.
     */
    public static boolean isRequestRefused(Throwable failure) {
        if (rootOf(failure) instanceof HttpOperationFailedException http) {
            int status = http.getStatusCode();
            return status >= 400 && status < 500 && status != 401 && status != 403 && status != 408 && status != 429;
        }
        return false;
    }

    public static boolean isUnauthorized(Throwable failure) {
        return rootOf(failure) instanceof HttpOperationFailedException http && http.getStatusCode() == 401;
    }

    /** A URI without its query string, which may carry signatures. */
    public static String withoutQuery(String uri) {
        if (uri == null) {
            return "?";
        }
        try {
            URI parsed = URI.create(uri);
            return new URI(parsed.getScheme(), parsed.getAuthority(), parsed.getPath(), null, null).toString();
        } catch (Exception e) {
            int q = uri.indexOf('?');
            return q < 0 ? uri : uri.substring(0, q);
        }
    }

    private static String credentialHint(String source) {
        return Connections.credentialHint(source);
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && !(t instanceof HttpOperationFailedException) && !(t instanceof JsonProcessingException)) {
            t = t.getCause();
        }
        return t;
    }
}
