package dev.todo.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The {@code Webhook-Signature} header: {@code v1=} and the hex HMAC-SHA256, keyed with the webhook's
 * secret (its UTF-8 bytes), of the {@code Webhook-Timestamp} value, a dot, and the exact body bytes.
 * Signing the timestamp with the body lets a receiver refuse replays: it recomputes the HMAC, compares
 * in constant time, and rejects timestamps too far from its clock (five minutes is usual).
 */
public final class WebhookSignature {

    public static final String VERSION = "v1";

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(Long.toString(timestampSeconds).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
