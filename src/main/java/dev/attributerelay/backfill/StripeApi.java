package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Json;
import dev.attributerelay.inbound.Headers;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stripe: {@code GET /v1/customers} 100 a page ({@code starting_after} the last id while {@code has_more}), and
 * per customer {@code GET /v1/subscriptions?customer=…&status=all} (without {@code status=all} Stripe leaves the
 * canceled ones out). Each customer is fed as {@code customer.updated}, its current subscription as
 * {@code customer.subscription.updated}.
 */
final class StripeApi implements Provider {
    static final String DEFAULT_URL = "https://api.stripe.com";

    private final URI base;
    private final ProviderHttp http;

    /** @param base the API origin, without {@code /v1} */
    StripeApi(URI base, ProviderHttp http) {
        this.base = Backfill.withoutTrailingSlash(base);
        this.http = http;
    }

    @Override
    public String name() {
        return "Stripe";
    }

    @Override
    public int calls() {
        return http.calls();
    }

    @Override
    public Page page(String cursor, Instant since) {
        StringBuilder q = new StringBuilder("/v1/customers?limit=100");
        if (since != null) {
            q.append("&").append(enc("created[gte]")).append("=").append(since.getEpochSecond());
        }
        if (cursor != null) {
            q.append("&starting_after=").append(enc(cursor));
        }
        JsonNode root = http.get(URI.create(base + q.toString()));
        List<Customer> out = new ArrayList<>();
        String last = null;
        for (JsonNode c : root.path("data")) {
            last = c.path("id").asText(null);
            if (last != null) {
                out.add(new Customer(last, c, subscriptions(last)));
            }
        }
        return new Page(out, root.path("has_more").asBoolean(false) && last != null ? last : null);
    }

    private List<JsonNode> subscriptions(String customerId) {
        List<JsonNode> subs = new ArrayList<>();
        String after = null;
        while (true) {
            String q = "/v1/subscriptions?customer=" + enc(customerId) + "&status=all&limit=100"
                    + (after == null ? "" : "&starting_after=" + enc(after));
            JsonNode root = http.get(URI.create(base + q));
            for (JsonNode s : root.path("data")) {
                subs.add(s);
                after = s.path("id").asText(after);
            }
            if (!root.path("has_more").asBoolean(false) || after == null || root.path("data").isEmpty()) {
                return subs;
            }
        }
    }

    @Override
    public List<Event> events(Customer customer, Instant readAt) {
        List<Event> out = new ArrayList<>();
        out.add(event("customer.updated", customer.customer(), readAt));
        Precedence.current(customer.subscriptions(), s -> s.path("status").asText(null), s -> s.path("created").asLong())
                .ifPresent(s -> out.add(event("customer.subscription.updated", s, readAt)));
        return out;
    }

    private static Event event(String type, JsonNode object, Instant readAt) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", "evt_backfill_" + object.path("id").asText());
        e.put("object", "event");
        e.put("type", type);
        e.put("created", readAt.getEpochSecond());
        e.put("data", Map.of("object", Json.mapper().convertValue(object, Object.class)));
        return new Event(e, Headers.empty());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
