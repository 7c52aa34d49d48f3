package io.backuphub.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What {@code POST /oauth/token} answers: a bearer token and how many seconds it stays valid. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AccessToken(String accessToken, String tokenType, long expiresIn) {
}
