package dev.attributerelay.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MACs computed straight from the JDK, without the code under test, so a test's expected value does not
 * come from the implementation it checks.
 */
final class Independent {
    private Independent() {
    }

    static byte[] mac(String algorithm, byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] mac(String algorithm, String key, String message) {
        return mac(algorithm, key.getBytes(StandardCharsets.UTF_8), message);
    }

    static String hmacSha256Hex(String key, String message) {
        return hex(mac("HmacSHA256", key, message));
    }

    static String hmacSha256Base64(String key, String message) {
        return Base64.getEncoder().encodeToString(mac("HmacSHA256", key, message));
    }

    static String sha256Hex(String message) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
