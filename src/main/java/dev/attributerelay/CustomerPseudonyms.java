package dev.attributerelay;

import dev.attributerelay.secrets.RelaySecrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a log line names a customer without naming the person: an email or external id becomes
 * {@code email:h:<16 hex>} / {@code external_id:<data source>/h:<16 hex>}, the first 8 bytes of
 * HMAC-SHA256 keyed by the secret's {@value #KEY} (else a key derived from the ChartMogul API key). The
 * same customer always gets the same pseudonym, so a person can search the logs for one (the {@code hash}
 * command computes it); without the key a pseudonym cannot be reversed by hashing guessed addresses.
 * ChartMogul uuids and data source uuids are ids, not personal data, and stay as they are.
 */
public final class CustomerPseudonyms {
    /** The key of the secrets JSON that keys the pseudonyms; set it to keep them across API key rotations. */
    public static final String KEY = "log_hash_key";
    /** Shown instead when the key cannot be read (Secrets Manager down): nothing is better than clear text. */
    static final String UNKEYED = "h:unavailable";
    private static final byte[] DERIVATION = "attribute-relay log pseudonyms v1".getBytes(StandardCharsets.UTF_8);

    private final Supplier<String> key;

    /** @param key the HMAC key; may throw when it cannot be read, then the pseudonym is {@value #UNKEYED} */
    public CustomerPseudonyms(Supplier<String> key) {
        this.key = key;
    }

    /**
     * Keyed by the relay's secrets as last read: a log line never waits on Secrets Manager (a hang there must not
     * cost the request its budget), so before the first read the pseudonym is {@value #UNKEYED}.
     */
    public static CustomerPseudonyms of(Supplier<RelaySecrets> lastRead) {
        return new CustomerPseudonyms(() -> {
            RelaySecrets s = lastRead.get();
            return s == null ? null : keyOf(s);
        });
    }

    /** A key of this process only: never clear text, but not comparable across containers. */
    static CustomerPseudonyms ephemeral() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        String hex = HexFormat.of().formatHex(k);
        return new CustomerPseudonyms(() -> hex);
    }

    /** {@value #KEY} when the secret has one, else derived from the API key; null when it has neither. */
    public static String keyOf(RelaySecrets secrets) {
        List<String> own = secrets.all(KEY);
        if (!own.isEmpty()) {
            return own.get(0);
        }
        String apiKey = secrets.apiKey();
        return apiKey == null ? null : HexFormat.of().formatHex(hmac(apiKey, DERIVATION));
    }

    /** The log form of a customer reference key ({@code uuid:…}, {@code email:…}, {@code external_id:ds/…}). */
    public String of(String refKey) {
        if (refKey == null || refKey.startsWith("uuid:")) {
            return refKey;
        }
        if (refKey.startsWith("email:")) {
            return "email:" + hash(refKey.substring("email:".length()).trim().toLowerCase(Locale.ROOT));
        }
        if (refKey.startsWith("external_id:")) {
            String rest = refKey.substring("external_id:".length());
            int slash = rest.indexOf('/');
            // data source uuids (ds_…) contain no slash; the id after the first one is the customer's
            String ds = slash >= 0 && rest.startsWith("ds_") ? rest.substring(0, slash + 1) : "";
            return "external_id:" + ds + hash(rest.substring(ds.length()));
        }
        return hash(refKey);
    }

    public List<String> of(List<String> refKeys) {
        return refKeys.stream().map(this::of).toList();
    }

    private String hash(String value) {
        String k;
        try {
            k = key.get();
        } catch (RuntimeException e) {
            return UNKEYED;
        }
        if (k == null || k.isEmpty()) {
            return UNKEYED;
        }
        byte[] mac = hmac(k, value.getBytes(StandardCharsets.UTF_8));
        return "h:" + HexFormat.of().formatHex(mac, 0, 8);
    }

    private static byte[] hmac(String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
