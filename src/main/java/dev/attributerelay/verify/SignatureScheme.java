package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Instant;
import java.util.List;

/**
 * One provider's way of proving a webhook is theirs. Implementations verify over the raw body bytes,
 * accept any of several signatures and any of several secrets (rotation), and compare in constant time.
 */
public interface SignatureScheme {

    /**
     * @param request the delivery, body as received
     * @param secrets every configured secret for the integration, newest first; never empty
     * @param now     the verifier's clock, for timestamp tolerance
     */
    Verdict verify(Inbound request, List<String> secrets, Instant now);

    /** Whether this scheme needs a secret at all ({@code none} does not). */
    default boolean needsSecret() {
        return true;
    }

    /** A request the provider sends to check the endpoint exists (answered 200, no update). */
    default boolean isHandshake(Inbound request) {
        return false;
    }
}
