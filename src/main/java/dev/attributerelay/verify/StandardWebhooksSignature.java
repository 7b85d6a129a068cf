package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard Webhooks (and Svix, which uses the same scheme under {@code svix-} header names):
 * {@code webhook-signature: v1,<base64> [v1,<base64>…]}, each the base64 HMAC-SHA256 of
 * {@code id + "." + timestamp + "." + raw body}, keyed with the base64-decoded secret after {@code whsec_}.
 */
public final class StandardWebhooksSignature implements SignatureScheme {
    private static final String[][] HEADER_SETS = {
        {"webhook-id", "webhook-timestamp", "webhook-signature"},
        {"svix-id", "svix-timestamp", "svix-signature"},
    };
    private final Duration tolerance;

    public StandardWebhooksSignature(Duration tolerance) {
        this.tolerance = tolerance;
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        String[] names = null;
        for (String[] set : HEADER_SETS) {
            if (request.headers().contains(set[2])) {
                names = set;
                break;
            }
        }
        if (names == null) {
            return Verdict.refused("the webhook-signature (or svix-signature) header is missing");
        }
        String id = request.headers().first(names[0]);
        String timestamp = request.headers().first(names[1]);
        if (id == null || id.isEmpty()) {
            return Verdict.refused("the " + names[0] + " header is missing");
        }
        Long seconds = Timestamps.epochSeconds(timestamp);
        if (seconds == null) {
            return Verdict.refused("the " + names[1] + " header is missing or not whole seconds");
        }
        String stale = Timestamps.outsideTolerance(Instant.ofEpochSecond(seconds), now, tolerance);
        if (stale != null) {
            return Verdict.refused(stale);
        }
        List<byte[]> signatures = new ArrayList<>();
        for (String header : request.headers().all(names[2])) {
            for (String entry : header.split(" ")) {
                int comma = entry.indexOf(',');
                if (comma > 0 && entry.substring(0, comma).equals("v1")) {
                    signatures.add(Crypto.fromBase64(entry.substring(comma + 1)));
                }
            }
        }
        if (signatures.isEmpty()) {
            return Verdict.refused("the " + names[2] + " header has no v1 signature");
        }
        byte[] prefix = Crypto.utf8(id + "." + timestamp + ".");
        boolean matched = false;
        boolean anyKey = false;
        for (String secret : secrets) {
            byte[] key = keyOf(secret);
            if (key == null) {
                continue;
            }
            anyKey = true;
            byte[] expected = Crypto.hmacSha256(key, prefix, request.body());
            for (byte[] given : signatures) {
                matched |= Crypto.same(expected, given);
            }
        }
        if (!anyKey) {
            return Verdict.refused("the configured signing secret is not a base64 whsec_ secret");
        }
        return matched ? Verdict.verified()
                : Verdict.refused("no webhook signature matches the body and the configured signing secret");
    }

    /** {@code whsec_<base64>} (or bare base64) to key bytes; null when it is not base64. */
    static byte[] keyOf(String secret) {
        String b64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        return Crypto.fromBase64(b64);
    }
}
