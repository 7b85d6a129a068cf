package dev.attributerelay.verify;

import dev.attributerelay.inbound.AsciiHex;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC, digest and encoding primitives the schemes share. */
final class Crypto {
    static final String HMAC_SHA256 = "HmacSHA256";
    static final String HMAC_SHA1 = "HmacSHA1";
    private static final HexFormat HEX = HexFormat.of();

    private Crypto() {
    }

    /**
     * Per thread and algorithm, MACs keyed with the secrets of the last verification, in their order. Looking a
     * {@code Mac} up and keying it costs about as much as the MAC of a small body under C1; a container verifies
     * with the same secrets request after request. Bounded (one entry per algorithm, a few secrets each), and
     * replaced outright by the next verification with other secrets, so a rotated-out key is no longer reachable
     * from here once the secrets cache has handed out its successor.
     */
    private static final ThreadLocal<Map<String, Keyed>> KEYED = ThreadLocal.withInitial(HashMap::new);
    /** More secrets than a rotation has are keyed afresh each time rather than kept. */
    private static final int MAX_KEPT_SECRETS = 4;

    private record Keyed(List<String> secrets, List<Mac> macs) {
    }

    static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
        Mac mac = keyed(algorithm, key);
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private static Mac keyed(String algorithm, byte[] key) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // HMAC pads the key with zeros to the block size, so an empty key and a single zero byte
            // give the same MAC; SecretKeySpec refuses an empty array.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available in this JVM", e);
        }
    }

    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        return hmac(HMAC_SHA256, key, parts);
    }

    /**
     * One MAC per configured secret (its UTF-8 bytes as the key), each over the same parts: the signatures a
     * sender holding any of the secrets would send, in the secrets' order.
     */
    static List<byte[]> hmacPerSecret(List<String> secrets, String algorithm, byte[]... parts) {
        if (secrets.size() > MAX_KEPT_SECRETS) {
            List<byte[]> keys = new ArrayList<>(secrets.size());
            for (String secret : secrets) {
                keys.add(utf8(secret));
            }
            return hmacPerKey(keys, algorithm, parts);
        }
        Map<String, Keyed> byAlgorithm = KEYED.get();
        Keyed kept = byAlgorithm.get(algorithm);
        // the configured secrets against the ones kept: nothing a sender controls is compared here
        if (kept == null || !kept.secrets().equals(secrets)) {
            List<Mac> macs = new ArrayList<>(secrets.size());
            for (String secret : secrets) {
                macs.add(keyed(algorithm, utf8(secret)));
            }
            kept = new Keyed(List.copyOf(secrets), macs);
            byAlgorithm.put(algorithm, kept);
        }
        List<byte[]> out = new ArrayList<>(secrets.size());
        try {
            for (Mac mac : kept.macs()) {
                for (byte[] part : parts) {
                    mac.update(part);
                }
                out.add(mac.doFinal()); // doFinal leaves the MAC keyed and ready for the next message
            }
        } catch (RuntimeException e) {
            byAlgorithm.remove(algorithm); // never reuse a MAC left halfway through a message
            throw e;
        }
        return out;
    }

    /** One MAC per key, each over the same parts, in the keys' order. */
    static List<byte[]> hmacPerKey(List<byte[]> keys, String algorithm, byte[]... parts) {
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            out.add(hmac(algorithm, key, parts));
        }
        return out;
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

    /** Per configured secret, the SHA-256 of its UTF-8 bytes followed by the parts, in the secrets' order. */
    static List<byte[]> sha256PerSecret(List<String> secrets, byte[]... parts) {
        List<byte[]> out = new ArrayList<>(secrets.size());
        for (String secret : secrets) {
            byte[][] all = new byte[parts.length + 1][];
            all[0] = utf8(secret);
            System.arraycopy(parts, 0, all, 1, parts.length);
            out.add(sha256(all));
        }
        return out;
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
     * Whether a presented credential equals any configured secret (UTF-8). Both sides are compared as SHA-256
     * digests, every secret against it with no early exit, so neither the length nor the content of a
     * configured credential, nor which one matched, shows in the time taken.
     */
    static boolean anyCredential(List<String> secrets, byte[] given) {
        return anySame(sha256PerSecret(secrets), List.of(sha256(given)));
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
            int hi = AsciiHex.digit(hex.charAt(2 * i));
            int lo = AsciiHex.digit(hex.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }


    /**
     * Each text decoded, in order, leaving out those the decoder cannot read (for which it returns null), as
     * with {@code decodeAll(items, Crypto::fromHex)}. Empty when none decodes.
     */
    static List<byte[]> decodeAll(List<String> texts, Function<String, byte[]> decoder) {
        List<byte[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            byte[] decoded = decoder.apply(text);
            if (decoded != null) {
                out.add(decoded);
            }
        }
        return out;
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
