package io.backuphub.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /oauth/token}: the client-credentials grant. The client's id and secret may come as
 * HTTP Basic credentials instead.
 */
@Schema(description = "An OAuth 2 client-credentials grant request")
public record TokenRequestForm(
        @JsonProperty("grant_type")
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "client_credentials")
        String grantType,
        @JsonProperty("client_id")
        @Schema(description = "the client's id (or as the user of HTTP Basic credentials)") String clientId,
        @JsonProperty("client_secret")
        @Schema(description = "the client's secret (or as the password of HTTP Basic credentials)")
        String clientSecret) {
}
