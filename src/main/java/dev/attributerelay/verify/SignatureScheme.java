package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.time.Instant;
import java.util.List;

/**
 * One provider's way of proving a webhook is theirs. Implementations verify over the raw body bytes,
 * accept any of several signatures and any of several secrets (rotation), and compare in constant time.
 * Each also signs, the way its provider would, for the local {@code sign} command and for tests.
 */
public interface SignatureScheme {

    /**
     * Never throws for bad input: a missing or malformed header is a {@link Verdict.Refused} whose reason
     * names the header, never its value or a secret.
     *
     * @param request the delivery, body as received
     * @param secrets every configured secret for the integration, newest first; never empty
     * @param now     the verifier's clock, for timestamp tolerance
     */
    Verdict verify(Inbound request, List<String> secrets, Instant now);

    /**
     * Refused when the request carries no credential at all (no signature header, no token): answered 401
     * before any secret is read, so a stranger learns nothing about the relay's secrets. Null otherwise;
     * {@link #verify} still judges a credential that is present.
     */
    default Verdict.Refused missingCredential(Inbound request) {
        return null;
    }

    /** Whether this scheme needs a secret at all ({@code none} does not). */
    default boolean needsSecret() {
        return true;
    }

    /** A request the provider sends to check the endpoint exists (answered 200, no update). */
    default boolean isHandshake(Inbound request) {
        return false;
    }

    /**
     * What the provider would send for this request: the headers, and the URL to call (which differs from
     * the request's only where the credential travels in the query string).
     *
     * @throws IllegalStateException when the scheme cannot sign
     */
    default Signed sign(SignRequest request) {
        throw new IllegalStateException(getClass().getSimpleName() + " cannot sign requests");
    }
}
