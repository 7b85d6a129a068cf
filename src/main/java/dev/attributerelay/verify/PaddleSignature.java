package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        String header = request.headers().first(HEADER);
        if (header == null) {
            return Verdict.refused("the Paddle-Signature header is missing");
        }
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String item : header.split(";")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (key.equals("ts") && timestamp == null) {
                timestamp = value;
            } else if (key.equals("h1")) {
                signatures.add(Crypto.fromHex(value));
            }
        }
        Instant signedAt = Timestamps.seconds(timestamp);
        if (signedAt == null) {
            return Verdict.refused("the Paddle-Signature header has no valid timestamp (ts=)");
        }
        if (signatures.isEmpty()) {
            return Verdict.refused("the Paddle-Signature header has no h1 signature");
        }
        byte[] prefix = Crypto.utf8(timestamp + ":");
        List<byte[]> expected = new ArrayList<>(secrets.size());
        for (String secret : secrets) {
            expected.add(Crypto.hmacSha256(Crypto.utf8(secret), prefix, request.body()));
        }
        if (!Crypto.anySame(expected, signatures)) {
            return Verdict.refused("no Paddle signature matches the body and the configured notification secret");
        }
        String stale = Timestamps.outsideTolerance(signedAt, now, tolerance);
        return stale == null ? Verdict.verified() : Verdict.refused(stale);
    }

    @Override
    public Signed sign(SignRequest r) {
        String ts = Long.toString(r.at().getEpochSecond());
        byte[] mac = Crypto.hmacSha256(Crypto.utf8(r.secret()), Crypto.utf8(ts + ":"), r.body());
        return new Signed(r.url(), Map.of(HEADER, "ts=" + ts + ";h1=" + Crypto.hex(mac)));
    }
}
