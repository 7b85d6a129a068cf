package dev.attributerelay.verify;

/**
 * GitHub's {@code X-Hub-Signature-256: sha256=<hex>}: the hex HMAC-SHA256 of the raw body, keyed with the
 * webhook secret (UTF-8). The SHA-1 {@code X-Hub-Signature} GitHub also sends is not accepted.
 */
public final class GitHubSignature extends HubSignature {
    public static final String HEADER = "X-Hub-Signature-256";

    public GitHubSignature() {
        super(HEADER, "sha256=", Crypto.HMAC_SHA256, "GitHub");
    }
}
