package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stripe's {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]}: each v1 is the hex
 * HMAC-SHA256 of {@code t + "." + raw body} keyed with the endpoint secret (UTF-8). Entries other
 * than t and v1 (v0, future schemes) are ignored, and the first t counts, as in Stripe's own libraries.
 */
public final class StripeSignature implements SignatureScheme {
    public static final String HEADER = "Stripe-Signature";
    private final Duration tolerance;

    public StripeSignature(Duration tolerance) {
        this.tolerance = tolerance;
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        String header = request.headers().first(HEADER);
        if (header == null) {
            return Verdict.refused("the Stripe-Signature header is missing");
        }
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String item : header.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            if (key.equals("t") && timestamp == null) {
                timestamp = value;
            } else if (key.equals("v1")) {
                signatures.add(Crypto.fromHex(value));
            }
        }
        Instant signedAt = Timestamps.seconds(timestamp);
        if (signedAt == null) {
            return Verdict.refused("the Stripe-Signature header has no valid timestamp (t=)");
        }
        if (signatures.isEmpty()) {
            return Verdict.refused("the Stripe-Signature header has no v1 signature");
        }
        byte[] signedPrefix = Crypto.utf8(timestamp + ".");
        List<byte[]> expected = new ArrayList<>(secrets.size());
        for (String secret : secrets) {
            expected.add(Crypto.hmacSha256(Crypto.utf8(secret), signedPrefix, request.body()));
        }
        if (!Crypto.anySame(expected, signatures)) {
            return Verdict.refused("no Stripe signature matches the body and the configured signing secret");
        }
        String stale = Timestamps.outsideTolerance(signedAt, now, tolerance);
        return stale == null ? Verdict.verified() : Verdict.refused(stale);
    }

    @Override
    public Signed sign(SignRequest r) {
        String t = Long.toString(r.at().getEpochSecond());
        byte[] mac = Crypto.hmacSha256(Crypto.utf8(r.secret()), Crypto.utf8(t + "."), r.body());
        return new Signed(r.url(), Map.of(HEADER, "t=" + t + ",v1=" + Crypto.hex(mac)));
    }
}
