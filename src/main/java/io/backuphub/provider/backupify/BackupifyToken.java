package io.backuphub.provider.backupify;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bearer token of one connection: its static token, or an OAuth access token from the client-credentials grant,
 * kept until shortly before it expires and fetched again when the upstream refuses it (401).
 */
public final class BackupifyToken {

    /** A token is fetched again this long before the upstream said it expires. */
    static final long EARLY_SECONDS = 30;

    private final String staticToken;
    private final Supplier<JsonNode> fetch;
    private final Clock clock;
    private String accessToken;
    private Instant expiresAt = Instant.MIN;

    private BackupifyToken(String staticToken, Supplier<JsonNode> fetch, Clock clock) {
        this.staticToken = staticToken;
        this.fetch = fetch;
        this.clock = clock;
    }

    public static BackupifyToken fixed(String token) {
        return new BackupifyToken(token, null, Clock.systemUTC());
    }

    /** @param fetch asks the token endpoint and answers its JSON ({@code access_token}, {@code expires_in}) */
    public static BackupifyToken clientCredentials(Supplier<JsonNode> fetch, Clock clock) {
        return new BackupifyToken(null, fetch, clock);
    }

    /** The token to send now; fetches one when there is none or it is about to expire. */
    public synchronized String current() {
        if (staticToken != null) {
            return staticToken;
        }
        if (accessToken == null || !clock.instant().isBefore(expiresAt)) {
            JsonNode answer = fetch.get();
            String token = answer == null ? "" : answer.path("access_token").asText("");
            if (token.isBlank()) {
                throw new IllegalStateException("the token endpoint answered without an access_token");
            }
            long ttl = answer.path("expires_in").canConvertToLong() ? answer.path("expires_in").asLong() : 3600;
            accessToken = token;
            expiresAt = clock.instant().plusSeconds(Math.max(0, ttl - Math.min(EARLY_SECONDS, ttl / 2)));
        }
        return accessToken;
    }

    /** The upstream refused {@code refused}: the next call fetches a new token (unless another thread did already). */
    public synchronized void refused(String refused) {
        if (staticToken == null && refused != null && refused.equals(accessToken)) {
            accessToken = null;
        }
    }

    /** Whether a refusal can be healed by fetching a new token. */
    public boolean renewable() {
        return staticToken == null;
    }
}
