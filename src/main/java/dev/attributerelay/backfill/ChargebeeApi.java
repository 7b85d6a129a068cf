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
 * Chargebee (API v2): {@code GET /api/v2/customers} 100 a page, {@code offset} the previous answer's
 * {@code next_offset}; the page's customers' subscriptions in one {@code GET /api/v2/subscriptions} with
 * {@code customer_id[in]}, paged alike. List entries wrap each object ({@code {"customer": {…}}}). Fed as
 * {@code customer_changed} and {@code subscription_changed} events. {@code --since} is Chargebee's
 * {@code updated_at[after]}.
 */
final class ChargebeeApi implements Provider {
    private final URI base;
    private final ProviderHttp http;

    /** @param base {@code https://{site}.chargebee.com} */
    ChargebeeApi(URI base, ProviderHttp http) {
        this.base = Backfill.withoutTrailingSlash(base);
        this.http = http;
    }

    @Override
    public String name() {
        return "Chargebee";
    }

    @Override
    public int calls() {
        return http.calls();
    }

    @Override
    public Page page(String cursor, Instant since) {
        StringBuilder q = new StringBuilder("/api/v2/customers?limit=100");
        if (since != null) {
            // updated_at[after] is exclusive
            q.append("&").append(enc("updated_at[after]")).append("=").append(since.getEpochSecond() - 1);
        }
        if (cursor != null) {
            q.append("&offset=").append(enc(cursor));
        }
        JsonNode root = http.get(URI.create(base + q.toString()));
        List<JsonNode> customers = new ArrayList<>();
        for (JsonNode entry : root.path("list")) {
            if (entry.path("customer").path("id").isTextual()) {
                customers.add(entry.path("customer"));
            }
        }
        Map<String, List<JsonNode>> subs = subscriptions(customers);
        List<Customer> out = new ArrayList<>();
        for (JsonNode c : customers) {
            String id = c.path("id").asText();
            out.add(new Customer(id, c, subs.getOrDefault(id, List.of())));
        }
        return new Page(out, text(root.path("next_offset")));
    }

    private Map<String, List<JsonNode>> subscriptions(List<JsonNode> customers) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        if (customers.isEmpty()) {
            return out;
        }
        StringBuilder in = new StringBuilder("[");
        for (JsonNode c : customers) {
            in.append(in.length() > 1 ? "," : "").append(Json.toTree(c.path("id").asText()).toString());
        }
        in.append("]");
        String offset = null;
        while (true) {
            String q = "/api/v2/subscriptions?limit=100&" + enc("customer_id[in]") + "=" + enc(in.toString())
                    + (offset == null ? "" : "&offset=" + enc(offset));
            JsonNode root = http.get(URI.create(base + q));
            for (JsonNode entry : root.path("list")) {
                JsonNode s = entry.path("subscription");
                out.computeIfAbsent(s.path("customer_id").asText(), k -> new ArrayList<>()).add(s);
            }
            offset = text(root.path("next_offset"));
            if (offset == null || root.path("list").isEmpty()) {
                return out;
            }
        }
    }

    @Override
    public List<Event> events(Customer customer, Instant readAt) {
        List<Event> out = new ArrayList<>();
        out.add(event("customer_changed", Map.of("customer", plain(customer.customer())), customer.id(), readAt));
        Precedence.current(customer.subscriptions(), s -> s.path("status").asText(null), s -> s.path("created_at").asLong())
                .ifPresent(s -> out.add(event("subscription_changed",
                        Map.of("subscription", plain(s), "customer", plain(customer.customer())),
                        s.path("id").asText(), readAt)));
        return out;
    }

    private static Event event(String type, Map<String, Object> content, String objectId, Instant readAt) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", "ev_backfill_" + objectId);
        e.put("occurred_at", readAt.getEpochSecond());
        e.put("object", "event");
        e.put("api_version", "v2");
        e.put("event_type", type);
        e.put("content", content);
        return new Event(e, Headers.empty());
    }

    private static Object plain(JsonNode n) {
        return Json.mapper().convertValue(n, Object.class);
    }

    private static String text(JsonNode n) {
        return n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
