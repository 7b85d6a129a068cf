package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Shopify's {@code X-Shopify-Hmac-Sha256}: the base64 HMAC-SHA256 of the raw body, keyed with the app's
 * client secret (UTF-8). Nothing time-bound is signed, so there is no tolerance to apply.
 */
public final class ShopifySignature implements SignatureScheme {
    public static final String HEADER = "X-Shopify-Hmac-Sha256";

    @Override
    public Verdict.Refused missingCredential(Inbound request) {
        return SignatureHeaders.absent(request.headers(), HEADER);
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        List<String> items = SignatureHeaders.items(request.headers(), HEADER);
        if (items.isEmpty()) {
            return Verdict.refused("the X-Shopify-Hmac-Sha256 header is missing");
        }
        List<byte[]> signatures = Crypto.decodeAll(items, Crypto::fromBase64);
        if (signatures.isEmpty()) {
            return Verdict.refused("the X-Shopify-Hmac-Sha256 header is not base64");
        }
        List<byte[]> expected = Crypto.hmacPerSecret(secrets, Crypto.HMAC_SHA256, request.body());
        return Crypto.anySame(expected, signatures) ? Verdict.verified()
                : Verdict.refused("no Shopify signature matches the body and the configured client secret");
    }

    @Override
    public Signed sign(SignRequest r) {
        return new Signed(r.url(), Map.of(HEADER, Crypto.base64(Crypto.hmacSha256(Crypto.utf8(r.secret()), r.body()))));
    }
}
