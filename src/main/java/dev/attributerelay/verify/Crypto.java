package dev.attributerelay.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC, digest and encoding primitives the schemes share. */
final class Crypto {
    private static final HexFormat HEX = HexFormat.of();

    private Crypto() {
    }

    static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // HMAC pads the key with zeros to the block size, so an empty key and a single zero byte
            // give the same MAC; SecretKeySpec refuses an empty array.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        return hmac("HmacSHA256", key, parts);
    }

    static byte[] hmacSha1(byte[] key, byte[]... parts) {
        return hmac("HmacSHA1", key, parts);
    }

    /** Plain SHA-256 (no key) over the parts, in order. */
    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time comparison: the time taken does not depend on where the arrays differ. */
    static boolean same(byte[] expected, byte[] given) {
        return given != null && MessageDigest.isEqual(expected, given);
    }

    /**
     * Whether any given signature equals any expected one. Every pair is compared, with no early exit,
     * so the time taken says nothing about which secret or which signature matched.
     */
    static boolean anySame(List<byte[]> expected, List<byte[]> given) {
        boolean matched = false;
        for (byte[] e : expected) {
            for (byte[] g : given) {
                matched |= same(e, g);
            }
        }
        return matched;
    }

    /**
     * Constant-time equality of two credentials of any length: both are hashed first, so neither the
     * length nor the content of the configured one shows in the time taken.
     */
    static boolean sameCredential(byte[] expected, byte[] given) {
        return given != null && MessageDigest.isEqual(sha256(expected), sha256(given));
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Lower- or upper-case hex to bytes; null when the text is not hex of even length. */
    static byte[] fromHex(String hex) {
        if (hex == null || hex.isEmpty() || (hex.length() & 1) == 1) {
            return null;
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = hexDigit(hex.charAt(2 * i));
            int lo = hexDigit(hex.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * The value of an ASCII hex digit, else -1. Not {@link Character#digit}: that also reads Arabic-Indic,
     * Devanagari, fullwidth and other Unicode digits, so a signature spelled in them would verify.
     */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Standard base64 to bytes; null when the text is not valid base64. */
    static byte[] fromBase64(String b64) {
        if (b64 == null || b64.isEmpty()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
