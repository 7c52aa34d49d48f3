package io.backuphub.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.backuphub.api.model.AccessToken;

/**
 * The API's clients: static bearer tokens ({@code hub.api.clients}: {@code token=customer1|customer2;token2=*})
 * and OAuth client-credentials clients ({@code hub.api.oauth-clients}: {@code id:secret=customer1|customer2}),
 * whose access tokens are short-lived and stateless (client id and expiry, HMAC-signed), so every node with
 * the same signing key accepts them. Secrets and tokens are kept only as SHA-256 digests.
 */
public class ApiClients {

    private static final String TOKEN_PREFIX = "hbt";

    /** A client the API knows, with the names of the customers it may see ({@code null}: all). */
    public record Grant(String client, Set<String> customers) {
    }

    private record OAuthClient(String secretDigest, Set<String> customers) {
    }

    private final Map<String, Grant> staticTokens = new HashMap<>();
    private final Map<String, OAuthClient> oauthClients = new HashMap<>();
    private final HmacSigner signer;
    private final Duration tokenTtl;
    private final Clock clock;

    public ApiClients(String staticSpec, String oauthSpec, HmacSigner signer, Duration tokenTtl, Clock clock) {
        this.signer = signer;
        this.tokenTtl = tokenTtl;
        this.clock = clock;
        int n = 0;
        for (String entry : entries(staticSpec)) {
            int eq = entry.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("hub.api.clients: entry " + (n + 1) + " is not token=customers");
            }
            n++;
            staticTokens.put(digest(entry.substring(0, eq).trim()), new Grant("token-" + n, customers(entry.substring(eq + 1))));
        }
        for (String entry : entries(oauthSpec)) {
            int colon = entry.indexOf(':');
            int eq = entry.lastIndexOf('=');
            if (colon <= 0 || eq <= colon + 1) {
                throw new IllegalArgumentException("hub.api.oauth-clients: an entry is not client_id:secret=customers");
            }
            oauthClients.put(entry.substring(0, colon).trim(), new OAuthClient(
                    digest(entry.substring(colon + 1, eq).trim()), customers(entry.substring(eq + 1))));
        }
    }

    /** The grant of a bearer token (static or issued), if it is valid now. */
    public Optional<Grant> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        Grant fixed = staticTokens.get(digest(token));
        if (fixed != null) {
            return Optional.of(fixed);
        }
        return issuedGrant(token);
    }

    /** Client-credentials grant: a fresh access token, or empty when the id or secret is wrong. */
    public Optional<AccessToken> issue(String clientId, String clientSecret) {
        OAuthClient client = clientId == null ? null : oauthClients.get(clientId);
        // digest both sides so the comparison takes the same time whatever the secret
        boolean secretOk = client != null && clientSecret != null && MessageDigest.isEqual(
                client.secretDigest().getBytes(StandardCharsets.US_ASCII), digest(clientSecret).getBytes(StandardCharsets.US_ASCII));
        if (!secretOk) {
            return Optional.empty();
        }
        long expires = clock.instant().plus(tokenTtl).getEpochSecond();
        String body = TOKEN_PREFIX + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(clientId.getBytes(StandardCharsets.UTF_8)) + "." + expires;
        return Optional.of(new AccessToken(body + "." + signer.sign(body), "Bearer", tokenTtl.toSeconds()));
    }

    private Optional<Grant> issuedGrant(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 4 || !parts[0].equals(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        String body = parts[0] + "." + parts[1] + "." + parts[2];
        if (!signer.verify(body, parts[3])) {
            return Optional.empty();
        }
        try {
            if (Long.parseLong(parts[2]) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            String clientId = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            // the client's customers as configured now: a removed client's tokens stop working at once
            OAuthClient client = oauthClients.get(clientId);
            return client == null ? Optional.empty() : Optional.of(new Grant(clientId, client.customers()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String[] entries(String spec) {
        if (spec == null || spec.isBlank()) {
            return new String[0];
        }
        return Arrays.stream(spec.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    private static Set<String> customers(String spec) {
        String trimmed = spec.trim();
        if (trimmed.equals("*")) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : trimmed.split("\\|")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        return Set.copyOf(names);
    }

    private static String digest(String secret) {
        return HexFormat.of().formatHex(SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** One SHA-256 per thread: every API request digests its token, and looking the algorithm up costs more. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
