package io.backuphub.api.model;

import java.time.Instant;

/** The answer to {@code GET /v1/ping}: the API is up and the token works. */
public record Ping(String status, String client, Instant serverTime) {
}
