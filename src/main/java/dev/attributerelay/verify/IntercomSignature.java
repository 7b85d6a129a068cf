package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Instant;
import java.util.List;

/**
 * Intercom's {@code X-Hub-Signature: sha1=<hex>}: the hex HMAC-SHA1 of the raw body, keyed with the app's
 * client secret (UTF-8). Intercom signs no timestamp.
 */
public final class IntercomSignature implements SignatureScheme {
    public static final String HEADER = "X-Hub-Signature";
    private static final HubSignature HUB = new HubSignature(HEADER, "sha1=", "HmacSHA1", "Intercom");

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        return HUB.verify(request, secrets);
    }

    @Override
    public Signed sign(SignRequest request) {
        return HUB.sign(request);
    }
}
