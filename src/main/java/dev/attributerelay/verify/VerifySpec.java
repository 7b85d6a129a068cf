package dev.attributerelay.verify;

import java.time.Duration;

/**
 * An integration's {@code verify:} block.
 *
 * @param scheme         one of {@link Schemes#NAMES}
 * @param secretName     the key in the secrets JSON holding the signing secret(s); null for {@code none}
 * @param tolerance      how far a signed timestamp may be from now, either way
 * @param publicUrl      the URL the provider called, as it signs it (HubSpot)
 * @param allowUnsigned  must be true for scheme {@code none}
 * @param legacyVersions hubspot-v3 only: also accept HubSpot's v1/v2 signatures, which sign no time
 */
public record VerifySpec(String scheme, String secretName, Duration tolerance, String publicUrl, boolean allowUnsigned,
                         boolean legacyVersions) {
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

    public VerifySpec {
        tolerance = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
    }

    public VerifySpec(String scheme, String secretName, Duration tolerance, String publicUrl, boolean allowUnsigned) {
        this(scheme, secretName, tolerance, publicUrl, allowUnsigned, false);
    }
}
