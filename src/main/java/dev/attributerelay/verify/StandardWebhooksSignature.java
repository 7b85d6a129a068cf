package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Standard Webhooks (and Svix, which uses the same scheme under {@code svix-} header names):
 * {@code webhook-signature: v1,<base64> [v1,<base64>…]}, each the base64 HMAC-SHA256 of
 * {@code id + "." + timestamp + "." + raw body}, keyed with the base64-decoded secret after {@code whsec_}.
 * As in Svix's libraries, the {@code svix-} headers are read when all three are present, else the
 * {@code webhook-} ones. The timestamp is checked before the signature, as both reference libraries do.
 */
public final class StandardWebhooksSignature implements SignatureScheme {
    private static final String[] SVIX = {"svix-id", "svix-timestamp", "svix-signature"};
    private static final String[] UNBRANDED = {"webhook-id", "webhook-timestamp", "webhook-signature"};
    private final Duration tolerance;

    public StandardWebhooksSignature(Duration tolerance) {
        this.tolerance = tolerance;
    }

    @Override
    public Verdict.Refused missingCredential(Inbound request) {
        return SignatureHeaders.absent(request.headers(), UNBRANDED[2], SVIX[2]);
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        String[] names;
        if (complete(request, SVIX)) {
            names = SVIX;
        } else if (request.headers().contains(UNBRANDED[2])) {
            names = UNBRANDED;
        } else if (request.headers().contains(SVIX[2])) {
            names = SVIX; // incomplete: the checks below name the missing header
        } else {
            return Verdict.refused("the webhook-signature (or svix-signature) header is missing");
        }
        String id = request.headers().first(names[0]);
        String timestamp = request.headers().first(names[1]);
        if (id == null || id.isEmpty()) {
            return Verdict.refused("the " + names[0] + " header is missing");
        }
        Instant signedAt = Timestamps.seconds(timestamp);
        if (signedAt == null) {
            return Verdict.refused("the " + names[1] + " header is missing or not whole seconds");
        }
        String stale = Timestamps.outsideTolerance(signedAt, now, tolerance);
        if (stale != null) {
            return Verdict.refused(stale);
        }
        List<String> v1 = new ArrayList<>();
        for (String header : request.headers().all(names[2])) {
            for (String entry : header.split(" ")) {
                // "<version>,<signature>[,…]": the second field, as the reference libraries read it
                String[] parts = entry.split(",");
                if (parts.length >= 2 && parts[0].equals("v1")) {
                    v1.add(parts[1]);
                }
            }
        }
        if (v1.isEmpty()) {
            return Verdict.refused("the " + names[2] + " header has no v1 signature");
        }
        List<byte[]> keys = Crypto.decodeAll(secrets, StandardWebhooksSignature::keyOf);
        if (keys.isEmpty()) {
            return Verdict.refused("the configured signing secret is not a base64 whsec_ secret");
        }
        // a v1 that is not base64 is no match, not a malformed header: the refusal below says so
        List<byte[]> expected = Crypto.hmacPerKey(keys, Crypto.HMAC_SHA256, Crypto.utf8(id + "." + timestamp + "."),
                request.body());
        return Crypto.anySame(expected, Crypto.decodeAll(v1, Crypto::fromBase64)) ? Verdict.verified()
                : Verdict.refused("no webhook signature matches the body and the configured signing secret");
    }

    @Override
    public Signed sign(SignRequest r) {
        byte[] key = keyOf(r.secret());
        if (key == null) {
            throw new IllegalStateException("the signing secret is not a base64 whsec_ secret");
        }
        String id = r.id() != null ? r.id() : "msg_" + UUID.randomUUID().toString().replace("-", "");
        String timestamp = Long.toString(r.at().getEpochSecond());
        byte[] mac = Crypto.hmacSha256(key, Crypto.utf8(id + "." + timestamp + "."), r.body());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(UNBRANDED[0], id);
        headers.put(UNBRANDED[1], timestamp);
        headers.put(UNBRANDED[2], "v1," + Crypto.base64(mac));
        return new Signed(r.url(), headers);
    }

    private static boolean complete(Inbound request, String[] names) {
        for (String name : names) {
            if (request.headers().first(name) == null) {
                return false;
            }
        }
        return true;
    }

    /** {@code whsec_<base64>} (or bare base64) to key bytes; null when it is not base64 or empty. */
    static byte[] keyOf(String secret) {
        String b64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        byte[] key = Crypto.fromBase64(b64);
        return key == null || key.length == 0 ? null : key;
    }
}
