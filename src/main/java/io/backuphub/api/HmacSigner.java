package io.backuphub.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with the hub's signing key ({@code hub.api.secret}): signs OAuth access tokens and export
 * download URLs, so any node with the same key verifies them without shared state.
 */
public class HmacSigner {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    public HmacSigner(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the signing key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** The signature of a message, base64url without padding. */
    public String sign(String message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Whether the signature is the message's, compared in constant time. */
    public boolean verify(String message, String signature) {
        if (signature == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(message).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
