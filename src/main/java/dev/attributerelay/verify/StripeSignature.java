package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Duration;
import java.time.Instant;
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
    public Verdict.Refused missingCredential(Inbound request) {
        return SignatureHeaders.absent(request.headers(), HEADER);
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        String header = request.headers().first(HEADER);
        if (header == null) {
            return Verdict.refused("the Stripe-Signature header is missing");
        }
        SignatureHeaders.Fields fields = SignatureHeaders.fields(header, ',', false);
        String timestamp = fields.first("t");
        Instant signedAt = Timestamps.seconds(timestamp);
        if (signedAt == null) {
            return Verdict.refused("the Stripe-Signature header has no valid timestamp (t=)");
        }
        List<String> v1 = fields.all("v1");
        if (v1.isEmpty()) {
            return Verdict.refused("the Stripe-Signature header has no v1 signature");
        }
        // a v1 that is not hex is no match, not a malformed header: the refusal below says so
        List<byte[]> expected = Crypto.hmacPerSecret(secrets, Crypto.HMAC_SHA256, Crypto.utf8(timestamp + "."),
                request.body());
        if (!Crypto.anySame(expected, Crypto.decodeAll(v1, Crypto::fromHex))) {
            return Verdict.refused("no Stripe signature matches the body and the configured signing secret");
        }
        return Timestamps.verdict(signedAt, now, tolerance);
    }

    @Override
    public Signed sign(SignRequest r) {
        String t = Long.toString(r.at().getEpochSecond());
        byte[] mac = Crypto.hmacSha256(Crypto.utf8(r.secret()), Crypto.utf8(t + "."), r.body());
        return new Signed(r.url(), Map.of(HEADER, "t=" + t + ",v1=" + Crypto.hex(mac)));
    }
}
