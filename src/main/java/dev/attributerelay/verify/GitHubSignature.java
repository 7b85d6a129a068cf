package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Instant;
import java.util.List;

/**
 * GitHub's {@code X-Hub-Signature-256: sha256=<hex>}: the hex HMAC-SHA256 of the raw body, keyed with the
 * webhook secret (UTF-8). The SHA-1 {@code X-Hub-Signature} GitHub also sends is not accepted.
 */
public final class GitHubSignature implements SignatureScheme {
    public static final String HEADER = "X-Hub-Signature-256";
    private static final HubSignature HUB = new HubSignature(HEADER, "sha256=", "HmacSHA256", "GitHub");

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        return HUB.verify(request, secrets);
    }

    @Override
    public Signed sign(SignRequest request) {
        return HUB.sign(request);
    }
}
