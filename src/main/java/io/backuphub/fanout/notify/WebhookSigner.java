package io.backuphub.fanout.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.Exchange;

/**
 * Signs a webhook body ({@code webhookSigner} in the registry): header {@code X-Hub-Signature-256:
 * sha256=<hex HMAC-SHA256 of the exact body bytes>} with {@code hub.notify.webhook.secret}, so the
 * receiver can check the message came from this hub unchanged. No secret, no header.
 */
public class WebhookSigner {

    public static final String HEADER = "X-Hub-Signature-256";

    private final byte[] secret;

    public WebhookSigner(String secret) {
        this.secret = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
    }

    public void sign(Exchange exchange) {
        if (secret.length == 0) {
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        exchange.getMessage().setHeader(HEADER, "sha256=" + hmac(secret, body));
    }

    public static String hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }
}
