package dev.attributerelay.verify;

/**
 * Intercom's {@code X-Hub-Signature: sha1=<hex>}: the hex HMAC-SHA1 of the raw body, keyed with the app's
 * client secret (UTF-8). Intercom signs no timestamp.
 */
public final class IntercomSignature extends HubSignature {
    public static final String HEADER = "X-Hub-Signature";

    public IntercomSignature() {
        super(HEADER, "sha1=", Crypto.HMAC_SHA1, "Intercom");
    }
}
