package dev.attributerelay.mapping;

import java.time.Duration;
import java.util.Map;

/**
 * How long each provider waits for an answer before it counts the delivery as failed (and retries it), as its
 * documentation states; where it states no figure, a conservative one. README's "Response budgets" lists them
 * with their sources. {@code respond_within_ms} in relay.yaml overrides any of them.
 */
final class ResponseBudgets {
    private static final Map<String, Duration> BY_PRESET = Map.of(
            "stripe", Duration.ofSeconds(10),     // no figure documented: "return a 2xx quickly"
            "paddle", Duration.ofSeconds(5),      // "responding within five seconds"
            "chargebee", Duration.ofSeconds(10),  // connection, read and total timeouts, no figures
            "hubspot", Duration.ofSeconds(5),     // retries a response slower than five seconds
            "intercom", Duration.ofSeconds(5),    // no figure found; Intercom's own examples answer at once
            "shopify", Duration.ofSeconds(5),     // five seconds, connection included
            "customerio", Duration.ofSeconds(4),  // "a 4 second timeout"
            "mailchimp", Duration.ofSeconds(10)); // no figure documented
    private static final Map<String, Duration> BY_SCHEME = Map.ofEntries(
            Map.entry("stripe", BY_PRESET.get("stripe")),
            Map.entry("paddle", BY_PRESET.get("paddle")),
            Map.entry("hubspot-v3", BY_PRESET.get("hubspot")),
            Map.entry("shopify", BY_PRESET.get("shopify")),
            Map.entry("intercom", BY_PRESET.get("intercom")),
            Map.entry("customerio", BY_PRESET.get("customerio")),
            Map.entry("github", Duration.ofSeconds(10)),            // "within 10 seconds"
            Map.entry("recurly", Duration.ofSeconds(5)),            // "must reply within 5 seconds"
            Map.entry("standard-webhooks", Duration.ofSeconds(10))); // Svix: no figure found, conservative

    private ResponseBudgets() {
    }

    /** The preset's budget; null for a preset with none. */
    static Duration forPreset(String preset) {
        return BY_PRESET.get(preset);
    }

    /** The scheme's provider's budget, else {@link Integration#DEFAULT_RESPOND_WITHIN}. */
    static Duration forScheme(String scheme) {
        return scheme == null ? Integration.DEFAULT_RESPOND_WITHIN
                : BY_SCHEME.getOrDefault(scheme, Integration.DEFAULT_RESPOND_WITHIN);
    }
}
