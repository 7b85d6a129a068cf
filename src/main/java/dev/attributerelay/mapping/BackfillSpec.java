package dev.attributerelay.mapping;

/**
 * An integration's {@code backfill:} block: where the provider API key is, and which provider's API to read.
 *
 * @param apiKeySecret the key of the secrets JSON that holds the provider's (read-only) API key
 * @param preset       the integration's preset name (stripe, paddle, chargebee, hubspot), which names the API; may
 *                     be null when the integration names no preset
 */
public record BackfillSpec(String apiKeySecret, String preset) {
}
