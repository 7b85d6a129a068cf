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
     * @throws IllegalArgumentException naming the scheme when it is unknown or not available
     */
    public static SignatureScheme create(VerifySpec spec) {
        switch (spec.scheme()) {
            case "stripe":
                return new StripeSignature(spec.tolerance());
            case "standard-webhooks":
                return new StandardWebhooksSignature(spec.tolerance());
            case "none":
                return new Unsigned();
            default:
                if (NAMES.contains(spec.scheme())) {
                    throw new IllegalArgumentException("scheme '" + spec.scheme() + "' is not implemented in this version");
                }
                throw new IllegalArgumentException("unknown scheme '" + spec.scheme() + "' (expected one of "
                        + String.join(", ", NAMES) + ")");
        }
    }
}
