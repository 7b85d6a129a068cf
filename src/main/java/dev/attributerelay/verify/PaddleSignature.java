package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Paddle Billing's {@code Paddle-Signature: ts=<unix seconds>;h1=<hex>[;h1=<hex>…]}: each h1 is the hex
 * HMAC-SHA256 of {@code ts + ":" + raw body}, keyed with the whole notification secret
 * ({@code pdl_ntfset_…}) as UTF-8. Unknown keys (a future h2) are ignored, as Paddle's Node SDK does; the
 * first ts counts. Paddle may retry with the original timestamp, so keep the tolerance at 300 s or more.
 */
public final class PaddleSignature implements SignatureScheme {
    public static final String HEADER = "Paddle-Signature";
    private final Duration tolerance;

    public PaddleSignature(Duration tolerance) {
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
            return Verdict.refused("the Paddle-Signature header is missing");
        }
        SignatureHeaders.Fields fields = SignatureHeaders.fields(header, ';', true);
        String timestamp = fields.first("ts");
        Instant signedAt = Timestamps.seconds(timestamp);
        if (signedAt == null) {
            return Verdict.refused("the Paddle-Signature header has no valid timestamp (ts=)");
        }
        List<String> h1 = fields.all("h1");
        if (h1.isEmpty()) {
            return Verdict.refused("the Paddle-Signature header has no h1 signature");
        }
        // an h1 that is not hex is no match, not a malformed header: the refusal below says so
        List<byte[]> expected = Crypto.hmacPerSecret(secrets, Crypto.HMAC_SHA256, Crypto.utf8(timestamp + ":"),
                request.body());
        if (!Crypto.anySame(expected, Crypto.decodeAll(h1, Crypto::fromHex))) {
            return Verdict.refused("no Paddle signature matches the body and the configured notification secret");
        }
        return Timestamps.verdict(signedAt, now, tolerance);
    }

    @Override
    public Signed sign(SignRequest r) {
        String ts = Long.toString(r.at().getEpochSecond());
        byte[] mac = Crypto.hmacSha256(Crypto.utf8(r.secret()), Crypto.utf8(ts + ":"), r.body());
        return new Signed(r.url(), Map.of(HEADER, "ts=" + ts + ";h1=" + Crypto.hex(mac)));
    }
}
