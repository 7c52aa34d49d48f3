package io.backuphub.provider.backupify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackupifyTokenTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T12:00:00Z"));
    private final AtomicInteger fetched = new AtomicInteger();
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final BackupifyToken token = BackupifyToken.clientCredentials(() -> new ObjectMapper().createObjectNode()
            .put("access_token", "t" + fetched.incrementAndGet()).put("token_type", "bearer").put("expires_in", 3600), clock);

    @Test
    void anOAuthTokenIsKeptUntilShortlyBeforeItExpires() {
        assertEquals("t1", token.current());
        now.set(now.get().plusSeconds(3600 - BackupifyToken.EARLY_SECONDS - 1));
        assertEquals("t1", token.current());
        now.set(now.get().plusSeconds(1));
        assertEquals("t2", token.current());
        assertEquals(2, fetched.get());
    }

    @Test
    void aRefusedTokenIsFetchedAgainButANewerOneIsKept() {
        assertEquals("t1", token.current());
        token.refused("t1");
        assertEquals("t2", token.current());
        token.refused("t1"); // a call that still carried the old token
        assertEquals("t2", token.current());
        assertEquals(2, fetched.get());
    }

    @Test
    void aStaticTokenIsAlwaysTheSameAndCannotBeRenewed() {
        BackupifyToken fixed = BackupifyToken.fixed("static");
        fixed.refused("static");
        assertEquals("static", fixed.current());
        assertFalse(fixed.renewable());
    }

    @Test
    void anAnswerWithoutATokenIsAFailure() {
        BackupifyToken broken = BackupifyToken.clientCredentials(() -> new ObjectMapper().createObjectNode(), clock);
        assertThrows(IllegalStateException.class, broken::current);
    }
}
