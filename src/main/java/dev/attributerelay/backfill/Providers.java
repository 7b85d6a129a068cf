package dev.attributerelay.backfill;

import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.mapping.Integration;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Which provider's API an integration's backfill reads (from its preset, else its signature scheme), at which
 * base URL, with which auth, and at what pace: below each provider's documented limit, so 429s stay the
 * exception (Stripe reads 25/s in test mode and 100/s live; Paddle 240 a minute per IP; Chargebee's smallest
 * plans 150 a minute; HubSpot private apps 100 per 10 s).
 */
public final class Providers {
    private Providers() {
    }

    /** The provider's name for this integration, or null when backfill cannot read it. */
    public static String kindOf(Integration integration) {
        String preset = integration.backfill() == null ? null : integration.backfill().preset();
        if (preset != null) {
            String p = preset.toLowerCase(Locale.ROOT);
            if (p.equals("stripe") || p.equals("paddle") || p.equals("chargebee") || p.equals("hubspot")) {
                return p;
            }
        }
        String scheme = integration.verify() == null ? null : integration.verify().scheme();
        if ("stripe".equals(scheme)) {
            return "stripe";
        }
        if ("paddle".equals(scheme)) {
            return "paddle";
        }
        return "hubspot-v3".equals(scheme) ? "hubspot" : null;
    }

    /**
     * @param env    the environment, for {@code STRIPE_API_URL}, {@code PADDLE_API_URL}, {@code CHARGEBEE_API_URL},
     *               {@code HUBSPOT_API_URL}
     * @param apiKey the provider's API key; never printed
     * @throws IllegalArgumentException naming what is missing (Chargebee's site URL)
     */
    public static Provider open(Integration integration, Map<String, String> env, String apiKey,
                                ChartMogulClient.Sleeper sleeper) {
        String kind = kindOf(integration);
        if (kind == null) {
            throw new IllegalArgumentException("backfill reads Stripe, Paddle Billing, Chargebee and HubSpot;"
                    + " integration '" + integration.name() + "' uses none of their presets");
        }
        String bearer = "Bearer " + apiKey;
        switch (kind) {
            case "stripe":
                // live keys read at 100/s, test-mode keys at 25/s
                boolean live = apiKey.startsWith("sk_live_") || apiKey.startsWith("rk_live_");
                return new StripeApi(url(env, "STRIPE_API_URL", StripeApi.DEFAULT_URL),
                        new ProviderHttp("Stripe", bearer, pace(live ? 80 : 20), sleeper));
            case "paddle":
                return new PaddleApi(url(env, "PADDLE_API_URL", PaddleApi.DEFAULT_URL),
                        new ProviderHttp("Paddle", bearer, pace(4), sleeper));
            case "chargebee":
                URI site = url(env, "CHARGEBEE_API_URL", null);
                if (site == null) {
                    throw new IllegalArgumentException("set CHARGEBEE_API_URL to your Chargebee site,"
                            + " https://{site}.chargebee.com");
                }
                String basic = "Basic " + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8));
                return new ChargebeeApi(site, new ProviderHttp("Chargebee", basic, pace(2), sleeper));
            default:
                return new HubSpotApi(url(env, "HUBSPOT_API_URL", HubSpotApi.DEFAULT_URL),
                        new ProviderHttp("HubSpot", bearer, pace(9), sleeper), integration);
        }
    }

    private static RateLimiter pace(double perSecond) {
        return new RateLimiter(perSecond, System::nanoTime);
    }

    private static URI url(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback == null ? null : URI.create(fallback);
        }
        URI u;
        try {
            u = URI.create(v.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a URL");
        }
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an http(s) URL such as " + (fallback == null
                    ? "https://{site}.chargebee.com" : fallback));
        }
        return u;
    }
}
