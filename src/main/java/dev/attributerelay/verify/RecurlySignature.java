package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Recurly's {@code recurly-signature: <timestamp>,<hex>[,<hex>…]}: each hex is the HMAC-SHA256 of
 * {@code timestamp + "." + raw body}, keyed with an endpoint secret (UTF-8); while a secret is being
 * rotated Recurly sends one signature per secret. The timestamp is in milliseconds; a number below
 * 10^11 is read as seconds instead (as milliseconds it would be early 1973, so nothing current is
 * misread), in case a sender writes seconds. The MAC always covers the timestamp text as sent.
 */
public final class RecurlySignature implements SignatureScheme {
    public static final String HEADER = "recurly-signature";
    /** Below this a timestamp is seconds, at or above it milliseconds. */
    static final long SECONDS_BELOW = 100_000_000_000L;
    private final Duration tolerance;

    public RecurlySignature(Duration tolerance) {
        this.tolerance = tolerance;
    }

    @Override
    public Verdict.Refused missingCredential(Inbound request) {
        return SignatureHeaders.absent(request.headers(), HEADER);
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        List<String> items = SignatureHeaders.items(request.headers(), HEADER);
        if (items.isEmpty()) {
            return Verdict.refused("the recurly-signature header is missing");
        }
        String timestamp = items.get(0);
        Instant signedAt = signedAt(timestamp);
        if (signedAt == null) {
            return Verdict.refused("the recurly-signature header does not start with a timestamp");
        }
        List<byte[]> signatures = Crypto.decodeAll(items.subList(1, items.size()), Crypto::fromHex);
        if (signatures.isEmpty()) {
            return Verdict.refused("the recurly-signature header has no hex signature after the timestamp");
        }
        List<byte[]> expected = Crypto.hmacPerSecret(secrets, Crypto.HMAC_SHA256, Crypto.utf8(timestamp + "."),
                request.body());
        if (!Crypto.anySame(expected, signatures)) {
            return Verdict.refused("no Recurly signature matches the body and the configured signing secret");
        }
        return Timestamps.verdict(signedAt, now, tolerance);
    }

    static Instant signedAt(String timestamp) {
        Long n = Timestamps.digits(timestamp);
        if (n == null) {
            return null;
        }
        return n < SECONDS_BELOW ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
    }

    @Override
    public Signed sign(SignRequest r) {
        String ts = Long.toString(r.at().toEpochMilli());
        byte[] mac = Crypto.hmacSha256(Crypto.utf8(r.secret()), Crypto.utf8(ts + "."), r.body());
        return new Signed(r.url(), Map.of(HEADER, ts + "," + Crypto.hex(mac)));
    }
}
