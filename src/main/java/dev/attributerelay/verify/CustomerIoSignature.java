package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Customer.io reporting webhooks: {@code X-CIO-Signature} is the hex HMAC-SHA256 of
 * {@code "v0:" + X-CIO-Timestamp + ":" + raw body}, keyed with the webhook signing key (UTF-8);
 * {@code X-CIO-Timestamp} is whole seconds since the epoch.
 */
public final class CustomerIoSignature implements SignatureScheme {
    public static final String SIGNATURE = "X-CIO-Signature";
    public static final String TIMESTAMP = "X-CIO-Timestamp";
    private final Duration tolerance;

    public CustomerIoSignature(Duration tolerance) {
        this.tolerance = tolerance;
    }

    @Override
    public Verdict.Refused missingCredential(Inbound request) {
        return SignatureHeaders.absent(request.headers(), SIGNATURE);
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        List<String> items = SignatureHeaders.items(request.headers(), SIGNATURE);
        if (items.isEmpty()) {
            return Verdict.refused("the X-CIO-Signature header is missing");
        }
        String timestamp = SignatureHeaders.first(request.headers(), TIMESTAMP);
        if (timestamp == null) {
            return Verdict.refused("the X-CIO-Timestamp header is missing");
        }
        Instant signedAt = Timestamps.seconds(timestamp);
        if (signedAt == null) {
            return Verdict.refused("the X-CIO-Timestamp header is not whole seconds");
        }
        List<byte[]> signatures = Crypto.decodeAll(items, Crypto::fromHex);
        if (signatures.isEmpty()) {
            return Verdict.refused("the X-CIO-Signature header is not hex");
        }
        List<byte[]> expected = Crypto.hmacPerSecret(secrets, Crypto.HMAC_SHA256, Crypto.utf8("v0:" + timestamp + ":"),
                request.body());
        if (!Crypto.anySame(expected, signatures)) {
            return Verdict.refused("no Customer.io signature matches the body and the configured signing key");
        }
        return Timestamps.verdict(signedAt, now, tolerance);
    }

    @Override
    public Signed sign(SignRequest r) {
        String ts = Long.toString(r.at().getEpochSecond());
        byte[] mac = Crypto.hmacSha256(Crypto.utf8(r.secret()), Crypto.utf8("v0:" + ts + ":"), r.body());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TIMESTAMP, ts);
        headers.put(SIGNATURE, Crypto.hex(mac));
        return new Signed(r.url(), headers);
    }
}
