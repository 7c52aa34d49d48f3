package io.backuphub.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour a simulator plays instead of (or before) its normal answer.
 * Each simulator renders the fault in its provider's own error format.
 */
public sealed interface Fault permits Fault.Status, Fault.MalformedJson, Fault.Throttle, Fault.Delay,
        Fault.TooManyRequests, Fault.ConnectionReset, Fault.CutBody, Fault.ExpireSession {

    /** An HTTP error with the provider's JSON error body. */
    static Fault status(int code) {
        return new Status(code);
    }

    /** HTTP 200 whose body is cut off in the middle, so it is not valid JSON. */
    static Fault malformedJson() {
        return MalformedJson.INSTANCE;
    }

    /** The provider's rate-limit answer (Cloud66: 503 "throttled"; vProtect: 429 with Retry-After). */
    static Fault throttle(int retryAfterSeconds) {
        return new Throttle(retryAfterSeconds);
    }

    /** Waits, then answers normally: for timeout tests. */
    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    /** HTTP 429 in the provider's error format, with {@code Retry-After} (seconds) when it is not null. */
    static Fault tooManyRequests(Integer retryAfterSeconds) {
        return new TooManyRequests(retryAfterSeconds);
    }

    /** The connection is closed without an answer (the client sees no response at all). */
    static Fault connectionReset() {
        return ConnectionReset.INSTANCE;
    }

    /**
     * The normal answer, but the connection drops halfway through its body: the headers promise the whole
     * length, only the first half arrives.
     */
    static Fault cutBody() {
        return CutBody.INSTANCE;
    }

    /**
     * The simulator forgets every session, then handles the request as usual: a provider with sessions
     * (vProtect) answers it 401 until the client logs in again; one without (Cloud66) answers normally.
     */
    static Fault expireSession() {
        return ExpireSession.INSTANCE;
    }

    record Status(int code) implements Fault {
        public Status {
            if (code < 100 || code > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + code);
            }
        }
    }

    enum MalformedJson implements Fault { INSTANCE }

    record Throttle(int retryAfterSeconds) implements Fault {
        public Throttle {
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
            }
        }
    }

    record TooManyRequests(Integer retryAfterSeconds) implements Fault {
        public TooManyRequests {
            if (retryAfterSeconds != null && retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
            }
        }
    }

    enum ConnectionReset implements Fault { INSTANCE }

    enum CutBody implements Fault { INSTANCE }

    enum ExpireSession implements Fault { INSTANCE }

    record Delay(Duration delay) implements Fault {
        public Delay {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative");
            }
        }
    }
}
