package io.backuphub.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiClientsTest {

    private static final HmacSigner KEY = new HmacSigner("a-shared-signing-key".getBytes(StandardCharsets.UTF_8));
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");

    private static ApiClients clients(HmacSigner signer, Instant now, String oauth) {
        return new ApiClients("tok-a=acme|globex;tok-all=*", oauth, signer, Duration.ofMinutes(5),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void staticTokensGrantTheirCustomers() {
        ApiClients clients = clients(KEY, NOW, "");
        assertEquals(Set.of("acme", "globex"), clients.authenticate("tok-a").orElseThrow().customers());
        assertNull(clients.authenticate("tok-all").orElseThrow().customers(), "* = every customer");
        assertTrue(clients.authenticate("tok-b").isEmpty());
        assertTrue(clients.authenticate("").isEmpty());
    }

    @Test
    void anIssuedTokenIsValidOnAnyNodeWithTheSameKeyUntilItExpires() {
        String token = clients(KEY, NOW, "rep:s3cret=acme").issue("rep", "s3cret").orElseThrow().accessToken();

        ApiClients otherNode = clients(KEY, NOW.plusSeconds(60), "rep:s3cret=acme");
        assertEquals(Set.of("acme"), otherNode.authenticate(token).orElseThrow().customers());
        assertEquals("rep", otherNode.authenticate(token).orElseThrow().client());
        assertTrue(clients(KEY, NOW.plusSeconds(301), "rep:s3cret=acme").authenticate(token).isEmpty(), "expired");
        assertTrue(clients(new HmacSigner("another-signing-key!".getBytes(StandardCharsets.UTF_8)), NOW,
                "rep:s3cret=acme").authenticate(token).isEmpty(), "another key");
        assertTrue(clients(KEY, NOW, "").authenticate(token).isEmpty(), "a removed client's tokens stop working");
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = clients(KEY, NOW, "rep:s3cret=acme").issue("rep", "s3cret").orElseThrow().accessToken();
        String[] parts = token.split("\\.");
        String later = parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 3600) + "." + parts[3];
        assertTrue(clients(KEY, NOW, "rep:s3cret=acme").authenticate(later).isEmpty());
        assertTrue(clients(KEY, NOW, "rep:s3cret=acme").authenticate(token + "x").isEmpty());
    }

    @Test
    void wrongCredentialsGetNoToken() {
        ApiClients clients = clients(KEY, NOW, "rep:s3cret=acme");
        assertEquals(Optional.empty(), clients.issue("rep", "wrong"));
        assertEquals(Optional.empty(), clients.issue("nobody", "s3cret"));
        assertEquals(Optional.empty(), clients.issue(null, null));
    }

    @Test
    void aMalformedClientListIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new ApiClients("no-equals-sign", "", KEY, Duration.ofMinutes(1),
                Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class, () -> new ApiClients("", "client-without-secret=acme", KEY,
                Duration.ofMinutes(1), Clock.systemUTC()));
    }
}
