package io.backuphub.api.model;

import java.time.Instant;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The answer to {@code GET /v1/ping}: the API is up and the token works. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Ping(String status, String client, Instant serverTime) {
}
