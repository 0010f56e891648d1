package dev.todo.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.todo.web.ApiException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Opaque keyset-pagination cursor: the sort-key values of the last row of a page and its id,
 * signed together with the user and the query it was made for.
 */
public final class Cursor {

    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    private final byte[] key;
    private final ObjectMapper mapper;
    /** keyed once, never used itself: each signature works on a clone */
    private final Mac keyed;

    public Cursor(byte[] key, ObjectMapper mapper) {
        this.key = key.clone();
        this.mapper = mapper;
        try {
            this.keyed = Mac.getInstance("HmacSHA256");
            this.keyed.init(new SecretKeySpec(this.key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key for one purpose, derived from the service secret. */
    public static byte[] key(String secret, String purpose) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(purpose.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            return md.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code values} are the sort keys as text followed by the row id. */
    public String encode(List<String> values, String binding) {
        try {
            byte[] payload = mapper.writeValueAsBytes(values);
            return ENC.encodeToString(payload) + "." + ENC.encodeToString(mac(payload, binding));
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode cursor", e);
        }
    }

    public List<String> decode(String cursor, String binding, int expectedValues) {
        int dot = cursor.indexOf('.');
        try {
            if (dot < 1) {
                throw new IllegalArgumentException();
            }
            byte[] payload = DEC.decode(cursor.substring(0, dot));
            byte[] sig = DEC.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(sig, mac(payload, binding))) {
                throw ApiException.invalid("cursor", "does not belong to this query; request the first page again without a cursor");
            }
            List<String> values = mapper.readValue(payload, LIST);
            if (values.size() != expectedValues) {
                throw new IllegalArgumentException();
            }
            return new ArrayList<>(values);
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw ApiException.invalid("cursor", "is malformed; use the nextCursor value of a previous page unchanged");
        }
    }

    private byte[] mac(byte[] payload, String binding) throws GeneralSecurityException {
        Mac mac;
        try {
            mac = (Mac) keyed.clone(); // looking the algorithm up and keying it cost more than the signature
        } catch (CloneNotSupportedException e) {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        }
        mac.update(binding.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] full = mac.doFinal(payload);
        byte[] half = new byte[16];
        System.arraycopy(full, 0, half, 0, 16);
        return half;
    }
}
