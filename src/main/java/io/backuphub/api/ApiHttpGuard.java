package io.backuphub.api;

import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backuphub.api.model.ErrorBody;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP server does for the API before and after its routes, so that every answer under {@code /v1} and
 * {@code /oauth} is the API's JSON error body ({@link ApiErrors}) with the right status:
 * <ul>
 * <li>{@link #screen}, the first handler of every request: a path with a {@code .} or {@code ..} segment (also
 * percent-encoded) is refused instead of being resolved into another resource; GET, HEAD and the other methods
 * that carry no form ignore a form or multipart {@code Content-Type} (Vert.x would refuse to decode a form on
 * them and answer 500); HEAD is answered as GET is, without the body.</li>
 * <li>{@link #failure}: what Vert.x itself refuses after the request was read (body over the limit, a form it
 * cannot decode, a malformed path) becomes the JSON error.</li>
 * <li>{@link #invalid}: requests the HTTP decoder refuses before any route (request line or headers too long,
 * malformed headers) are answered with the JSON error too, whatever their path, since the path may be unknown.</li>
 * </ul>
 */
final class ApiHttpGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpGuard.class);
    private static final String[] PREFIXES = {"/v1", "/oauth"};
    /** The methods Vert.x decodes a form or multipart body on. */
    private static final Set<HttpMethod> FORM_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The statuses of failures {@link #unhandled} answers; not 404 or 405, whose default answer outside the API
     * stays Vert.x's (the API answers its own, {@link ApiUnknownPaths}).
     */
    static final int[] ERROR_STATUSES = {400, 408, 413, 414, 415, 417, 431, 500, 501, 502, 503};

    private final long maxBodyBytes;
    private final int maxInitialLineLength;
    private final int maxHeaderSize;

    ApiHttpGuard(Long maxBodyBytes, int maxInitialLineLength, int maxHeaderSize) {
        this.maxBodyBytes = maxBodyBytes == null ? -1 : maxBodyBytes;
        this.maxInitialLineLength = maxInitialLineLength;
        this.maxHeaderSize = maxHeaderSize;
    }

    /** The first handler of every request. */
    void screen(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String raw = request.path();
        if (!isApi(raw) && !isApi(normalizedPath(ctx))) {
            ctx.next();
            return;
        }
        if (hasDotSegment(raw)) {
            answer(ctx.response(), 400, "invalid_parameter", "the path has a '.' or '..' segment (also when "
                    + "percent-encoded); ids and names in a path are taken as they are, never resolved");
            return;
        }
        try {
            request.params();
        } catch (IllegalArgumentException e) {
            answer(ctx.response(), 400, "invalid_request", "the query string cannot be decoded: "
                    + shorten(String.valueOf(e.getMessage())));
            return;
        }
        if (!FORM_METHODS.contains(request.method()) && isForm(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            // a form is a body, and this method's body is ignored: read it (within the limit) as plain bytes
            request.headers().remove(HttpHeaders.CONTENT_TYPE);
        }
        if (request.method() == HttpMethod.HEAD) {
            // HEAD answers what GET answers; the HTTP server drops the body of a reply to HEAD
            ctx.reroute(HttpMethod.GET, request.uri());
            return;
        }
        ctx.next();
    }

    /** A failure of a route under /v1 or /oauth that no route handled; others keep Vert.x's default answer. */
    void failure(RoutingContext ctx) {
        if (!isApi(ctx.request().path()) && !isApi(normalizedPath(ctx))) {
            ctx.next();
            return;
        }
        answerFailure(ctx, -1);
    }

    /**
     * The router's error handler: a failure no route's failure handler took (one before any route matched, such
     * as a path that cannot be decoded). Outside the API, Vert.x then writes its default answer.
     */
    void unhandled(RoutingContext ctx, int status) {
        if (isApi(ctx.request().path()) || isApi(normalizedPath(ctx))) {
            answerFailure(ctx, status);
        } else if (status >= 500) {
            LOG.error("Unhandled exception in router", ctx.failure());
        }
    }

    private void answerFailure(RoutingContext ctx, int knownStatus) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        Throwable failure = ctx.failure();
        // the error handlers are per status; the context may not know it (a failure while matching routes)
        int status = knownStatus != -1 ? knownStatus : ctx.statusCode();
        if (status == -1 && failure instanceof HttpException http) {
            status = http.getStatusCode();
        }
        if (status < 400 && (failure instanceof IllegalArgumentException || failure instanceof DecoderException)) {
            // Vert.x's form, multipart and path decoders refuse what they cannot read with these (the body
            // handler fails with status 200 when the exception is not a DecoderException)
            status = 400;
        }
        if (status < 400) {
            status = 500;
        }
        if (response.headWritten()) {
            // part of an answer is out already: all that can be done is cut it short
            LOG.warn("API answer cut short by {}", failure == null ? status : failure.toString());
            response.reset();
            return;
        }
        if (status >= 500) {
            LOG.error("API request failed in the HTTP server: {} {}", ctx.request().method(), ctx.request().path(),
                    failure);
        }
        response.headers().clear();
        answer(response, status, code(status), message(status, failure));
    }

    /** A request the HTTP decoder refused (before any route): too long a request line or headers, bad syntax. */
    void invalid(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status;
        String code;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            code = "uri_too_long";
            message = "the request line is longer than " + maxInitialLineLength + " bytes";
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            status = 431;
            code = "headers_too_large";
            message = "the request's headers are larger than " + maxHeaderSize + " bytes";
        } else {
            status = 400;
            code = "invalid_request";
            message = "the request is not valid HTTP" + (cause == null || cause.getMessage() == null ? ""
                    : ": " + shorten(cause.getMessage()));
        }
        HttpServerResponse response = request.response();
        // the connection's state is unknown after a decoding error: answer, then close it
        response.putHeader(HttpHeaders.CONNECTION, "close");
        answer(response, status, code, message);
        response.close();
    }

    private String code(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 417 -> "expectation_failed";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }

    private String message(int status, Throwable failure) {
        return switch (status) {
            case 400 -> "the request cannot be read" + (failure == null || failure.getMessage() == null ? ""
                    : ": " + shorten(failure.getMessage()));
            case 413 -> "the request's body is larger than " + maxBodyBytes + " bytes";
            case 417 -> "only the expectation 100-continue is supported";
            default -> status >= 500 ? "the hub could not answer this request; the hub's log has the details"
                    : HttpResponseStatus.valueOf(status).reasonPhrase();
        };
    }

    static void answer(HttpServerResponse response, int status, String code, String message) {
        String body;
        try {
            body = JSON.writeValueAsString(ErrorBody.of(code, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body);
    }

    private static String normalizedPath(RoutingContext ctx) {
        try {
            return ctx.normalizedPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean isApi(String path) {
        if (path == null) {
            return false;
        }
        for (String prefix : PREFIXES) {
            if (path.startsWith(prefix) && (path.length() == prefix.length() || "/?;%".indexOf(
                    path.charAt(prefix.length())) >= 0)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a raw path has a segment that is {@code .} or {@code ..}, literally or percent-encoded. */
    static boolean hasDotSegment(String raw) {
        if (raw == null) {
            return false;
        }
        // segment by segment between slashes and backslashes (no regular expression: this runs on every request)
        int start = 0;
        for (int i = 0; i <= raw.length(); i++) {
            if (i == raw.length() || raw.charAt(i) == '/' || raw.charAt(i) == '\\') {
                if (isDotSegment(raw, start, i)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** Whether {@code raw[start, end)}, up to a ';', is {@code .} or {@code ..}, each dot also as {@code %2e}. */
    private static boolean isDotSegment(String raw, int start, int end) {
        int dots = 0;
        int i = start;
        while (i < end && raw.charAt(i) != ';') {
            if (raw.charAt(i) == '.') {
                i++;
            } else if (raw.startsWith("%2e", i) || raw.startsWith("%2E", i)) {
                i += 3;
            } else {
                return false;
            }
            dots++;
        }
        return dots == 1 || dots == 2;
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.trim().toLowerCase(Locale.ROOT);
        return type.startsWith("multipart/") || type.startsWith("application/x-www-form-urlencoded");
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
