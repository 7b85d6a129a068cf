package dev.attributerelay.verify;

import java.util.List;

/** Scheme names as relay.yaml spells them, and the verifier each one builds. */
public final class Schemes {
    /** Every name DESIGN §4 defines. */
    public static final List<String> NAMES = List.of(
            "stripe", "paddle", "hubspot-v3", "shopify", "github", "intercom", "standard-webhooks",
            "customerio", "recurly", "basic-auth", "url-token", "none");

    private Schemes() {
    }

    /**
     * Builds the verifier for a spec. Only the named class is loaded, so a config that uses Stripe alone
     * never loads the other schemes.
     *
     * @throws IllegalArgumentException naming the scheme when it is unknown, or a setting it needs is missing
     */
    public static SignatureScheme create(VerifySpec spec) {
        switch (spec.scheme()) {
            case "stripe":
                return new StripeSignature(spec.tolerance());
            case "paddle":
                return new PaddleSignature(spec.tolerance());
            case "hubspot-v3":
                return new HubSpotV3Signature(spec.publicUrl(), spec.tolerance(), spec.legacyVersions());
            case "shopify":
                return new ShopifySignature();
            case "github":
                return new GitHubSignature();
            case "intercom":
                return new IntercomSignature();
            case "standard-webhooks":
                return new StandardWebhooksSignature(spec.tolerance());
            case "customerio":
                return new CustomerIoSignature(spec.tolerance());
            case "recurly":
                return new RecurlySignature(spec.tolerance());
            case "basic-auth":
                return new BasicAuth();
            case "url-token":
                return new UrlToken();
            case "none":
                return new Unsigned();
            default:
                throw new IllegalArgumentException("unknown scheme '" + spec.scheme() + "' (expected one of "
                        + String.join(", ", NAMES) + ")");
        }
    }
}
