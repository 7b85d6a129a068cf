package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Json;
import dev.attributerelay.inbound.Headers;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paddle Billing: {@code GET /customers} 200 a page, the next page's {@code after} taken from
 * {@code meta.pagination.next} while {@code has_more}; the page's customers' subscriptions in one
 * {@code GET /subscriptions?customer_id=a,b,…} (every status named), paged alike. Fed as
 * {@code customer.updated} and {@code subscription.updated} notifications. Paddle lists customers without a
 * date filter, so {@code --since} compares each customer's {@code updated_at} here.
 */
final class PaddleApi implements Provider {
    static final String DEFAULT_URL = "https://api.paddle.com";
    /** Customer ids per subscriptions request, which keeps its URL short. */
    private static final int IDS_PER_CALL = 50;
    private static final String STATUSES = "active,canceled,past_due,paused,trialing";

    private final URI base;
    private final ProviderHttp http;
    private long total = -1;

    PaddleApi(URI base, ProviderHttp http) {
        this.base = Backfill.withoutTrailingSlash(base);
        this.http = http;
    }

    @Override
    public String name() {
        return "Paddle";
    }

    @Override
    public int calls() {
        return http.calls();
    }

    @Override
    public long total() {
        return total;
    }

    @Override
    public Page page(String cursor, Instant since) {
        JsonNode root = http.get(URI.create(base + "/customers?per_page=200" + (cursor == null ? "" : "&after=" + enc(cursor))));
        JsonNode pagination = root.path("meta").path("pagination");
        if (pagination.path("estimated_total").canConvertToLong()) {
            total = pagination.path("estimated_total").asLong();
        }
        List<JsonNode> customers = new ArrayList<>();
        for (JsonNode c : root.path("data")) {
            if (c.path("id").isTextual() && (since == null || !before(c.path("updated_at").asText(null), since))) {
                customers.add(c);
            }
        }
        Map<String, List<JsonNode>> subs = subscriptions(customers);
        List<Customer> out = new ArrayList<>();
        for (JsonNode c : customers) {
            String id = c.path("id").asText();
            out.add(new Customer(id, c, subs.getOrDefault(id, List.of())));
        }
        String next = pagination.path("has_more").asBoolean(false) ? after(pagination.path("next").asText(null)) : null;
        return new Page(out, next);
    }

    private Map<String, List<JsonNode>> subscriptions(List<JsonNode> customers) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        if (customers.isEmpty()) {
            return out;
        }
        List<String> all = new ArrayList<>();
        customers.forEach(c -> all.add(c.path("id").asText()));
        for (int from = 0; from < all.size(); from += IDS_PER_CALL) {
            fetchSubscriptions(all.subList(from, Math.min(all.size(), from + IDS_PER_CALL)), out);
        }
        return out;
    }

    private void fetchSubscriptions(List<String> ids, Map<String, List<JsonNode>> out) {
        String after = null;
        while (true) {
            String q = "/subscriptions?customer_id=" + enc(String.join(",", ids)) + "&status=" + enc(STATUSES)
                    + "&per_page=200" + (after == null ? "" : "&after=" + enc(after));
            JsonNode root = http.get(URI.create(base + q));
            for (JsonNode s : root.path("data")) {
                out.computeIfAbsent(s.path("customer_id").asText(), k -> new ArrayList<>()).add(s);
            }
            JsonNode p = root.path("meta").path("pagination");
            after = p.path("has_more").asBoolean(false) ? after(p.path("next").asText(null)) : null;
            if (after == null || root.path("data").isEmpty()) {
                return;
            }
        }
    }

    /** The {@code after} parameter of Paddle's next-page URL. */
    static String after(String nextUrl) {
        if (nextUrl == null) {
            return null;
        }
        String query = URI.create(nextUrl).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("after=")) {
                return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public List<Event> events(Customer customer, Instant readAt) {
        List<Event> out = new ArrayList<>();
        out.add(event("customer.updated", customer.customer(), readAt));
        Precedence.current(customer.subscriptions(), s -> s.path("status").asText(null),
                s -> epochMillis(s.path("created_at").asText(null)))
                .ifPresent(s -> out.add(event("subscription.updated", s, readAt)));
        return out;
    }

    private static Event event(String type, JsonNode object, Instant readAt) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", "evt_backfill_" + object.path("id").asText());
        e.put("event_type", type);
        e.put("occurred_at", readAt.toString());
        e.put("notification_id", "ntf_backfill_" + object.path("id").asText());
        e.put("data", Json.mapper().convertValue(object, Object.class));
        return new Event(e, Headers.empty());
    }

    private static boolean before(String iso, Instant since) {
        long t = epochMillis(iso);
        return t != Long.MIN_VALUE && t < since.toEpochMilli();
    }

    private static long epochMillis(String iso) {
        if (iso == null) {
            return Long.MIN_VALUE;
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
