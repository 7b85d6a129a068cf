package dev.attributerelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback fake of a billing or CRM provider's list API, written from each one's documented format: Stripe
 * ({@code /v1/customers}, {@code /v1/subscriptions}; {@code starting_after}/{@code has_more}; canceled
 * subscriptions only with {@code status=all}), Paddle Billing ({@code /customers}, {@code /subscriptions};
 * {@code after} in {@code meta.pagination.next}), Chargebee ({@code /api/v2/customers},
 * {@code /api/v2/subscriptions}; {@code offset}/{@code next_offset}, entries wrapped by type, Basic auth with
 * the key as user) and HubSpot ({@code /crm/v3/objects/contacts}; {@code paging.next.after}). Wrong keys answer
 * each provider's 401; {@link #throttle} scripts 429s with {@code Retry-After}.
 */
public final class FakeBilling implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Kind { STRIPE, PADDLE, CHARGEBEE, HUBSPOT }

    private final Kind kind;
    private final String key;
    private final HttpServer server;
    private final List<JsonNode> customers = new CopyOnWriteArrayList<>();
    private final List<JsonNode> subscriptions = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttles = new AtomicInteger();
    private volatile int retryAfterSeconds;
    private volatile int pageSize = 1000;

    public FakeBilling(Kind kind, String key) throws IOException {
        this.kind = kind;
        this.key = key;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The most the fake puts on one page, below what the client asks for, so a few objects make several pages. */
    public FakeBilling pageSize(int n) {
        pageSize = n;
        return this;
    }

    public FakeBilling customer(JsonNode c) {
        customers.add(c);
        return this;
    }

    public FakeBilling subscription(JsonNode s) {
        subscriptions.add(s);
        return this;
    }

    /** The next {@code times} requests answer 429 with {@code Retry-After: seconds}. */
    public FakeBilling throttle(int times, int seconds) {
        retryAfterSeconds = seconds;
        throttles.set(times);
        return this;
    }

    /** Path and query of every request, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            URI uri = ex.getRequestURI();
            requests.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                respond(ex, 401, unauthorized(), Map.of());
                return;
            }
            if (throttles.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(ex, 429, tooMany(), Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
                return;
            }
            Map<String, String> q = FakeChartMogul.query(uri.getRawQuery());
            ObjectNode answer = route(uri.getPath(), q);
            if (answer == null) {
                respond(ex, 404, "{\"error\":{\"message\":\"Unrecognized request URL\"}}", Map.of());
            } else {
                respond(ex, 200, answer.toString(), Map.of());
            }
        }
    }

    private boolean authorized(String auth) {
        if (auth == null) {
            return false;
        }
        if (kind == Kind.CHARGEBEE) {
            return auth.equals("Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)));
        }
        return auth.equals("Bearer " + key);
    }

    private ObjectNode route(String path, Map<String, String> q) {
        switch (kind) {
            case STRIPE:
                if (path.equals("/v1/customers")) {
                    long gte = Long.parseLong(q.getOrDefault("created[gte]", "0"));
                    return stripeList("/v1/customers", filter(customers, c -> c.path("created").asLong() >= gte), q);
                }
                if (path.equals("/v1/subscriptions")) {
                    boolean all = "all".equals(q.get("status"));
                    return stripeList("/v1/subscriptions", filter(subscriptions,
                            s -> s.path("customer").asText().equals(q.getOrDefault("customer", s.path("customer").asText()))
                                    && (all || !Set.of("canceled", "incomplete_expired").contains(s.path("status").asText()))), q);
                }
                return null;
            case PADDLE:
                if (path.equals("/customers")) {
                    return paddleList("/customers", customers, q);
                }
                if (path.equals("/subscriptions")) {
                    Set<String> ids = Set.of(q.getOrDefault("customer_id", "").split(","));
                    Set<String> statuses = q.containsKey("status") ? Set.of(q.get("status").split(",")) : null;
                    return paddleList("/subscriptions", filter(subscriptions, s -> ids.contains(s.path("customer_id").asText())
                            && (statuses == null || statuses.contains(s.path("status").asText()))), q);
                }
                return null;
            case CHARGEBEE:
                if (path.equals("/api/v2/customers")) {
                    long after = Long.parseLong(q.getOrDefault("updated_at[after]", "-1"));
                    return chargebeeList("customer", filter(customers, c -> c.path("updated_at").asLong() > after), q);
                }
                if (path.equals("/api/v2/subscriptions")) {
                    Set<String> ids = new java.util.HashSet<>();
                    try {
                        JSON.readTree(q.getOrDefault("customer_id[in]", "[]")).forEach(n -> ids.add(n.asText()));
                    } catch (IOException e) {
                        return null;
                    }
                    return chargebeeList("subscription", filter(subscriptions, s -> ids.contains(s.path("customer_id").asText())), q);
                }
                return null;
            default:
                if (path.equals("/crm/v3/objects/contacts")) {
                    return hubspotList(q);
                }
                return null;
        }
    }

    private ObjectNode stripeList(String url, List<JsonNode> all, Map<String, String> q) {
        int limit = Math.min(pageSize, Integer.parseInt(q.getOrDefault("limit", "10")));
        int from = 0;
        if (q.containsKey("starting_after")) {
            from = indexOf(all, q.get("starting_after")) + 1;
        }
        List<JsonNode> page = slice(all, from, limit);
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        root.put("url", url);
        root.put("has_more", from + page.size() < all.size());
        root.putArray("data").addAll(page);
        return root;
    }

    private ObjectNode paddleList(String path, List<JsonNode> all, Map<String, String> q) {
        int perPage = Math.min(pageSize, Integer.parseInt(q.getOrDefault("per_page", "50")));
        int from = q.containsKey("after") ? indexOf(all, q.get("after")) + 1 : 0;
        List<JsonNode> page = slice(all, from, perPage);
        ObjectNode root = JSON.createObjectNode();
        root.putArray("data").addAll(page);
        ObjectNode meta = root.putObject("meta");
        meta.put("request_id", "req_fake");
        ObjectNode p = meta.putObject("pagination");
        p.put("per_page", perPage);
        boolean more = from + page.size() < all.size();
        String last = page.isEmpty() ? "" : page.get(page.size() - 1).path("id").asText();
        p.put("next", url() + path + "?after=" + last + "&per_page=" + perPage);
        p.put("has_more", more);
        p.put("estimated_total", all.size());
        return root;
    }

    private ObjectNode chargebeeList(String type, List<JsonNode> all, Map<String, String> q) {
        int limit = Math.min(pageSize, Integer.parseInt(q.getOrDefault("limit", "10")));
        int from = q.containsKey("offset") ? Integer.parseInt(new String(Base64.getDecoder().decode(q.get("offset")),
                StandardCharsets.UTF_8).replaceAll("[^0-9]", "")) : 0;
        List<JsonNode> page = slice(all, from, limit);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("list");
        for (JsonNode o : page) {
            ObjectNode entry = list.addObject();
            entry.set(type, o);
        }
        if (from + page.size() < all.size()) {
            // opaque to clients: Chargebee's are JSON arrays of sort keys
            root.put("next_offset", Base64.getEncoder().encodeToString(("[\"" + (from + page.size()) + "\"]")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return root;
    }

    private ObjectNode hubspotList(Map<String, String> q) {
        int limit = Math.min(pageSize, Integer.parseInt(q.getOrDefault("limit", "10")));
        int from = Integer.parseInt(q.getOrDefault("after", "0"));
        Set<String> wanted = Set.of(q.getOrDefault("properties", "email").split(","));
        List<JsonNode> page = slice(customers, from, limit);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode results = root.putArray("results");
        for (JsonNode c : page) {
            ObjectNode r = c.deepCopy();
            ObjectNode props = JSON.createObjectNode();
            c.path("properties").fields().forEachRemaining(p -> {
                if (wanted.contains(p.getKey())) {
                    props.set(p.getKey(), p.getValue()); // HubSpot returns only the properties asked for
                }
            });
            r.set("properties", props);
            results.add(r);
        }
        if (from + page.size() < customers.size()) {
            ObjectNode next = root.putObject("paging").putObject("next");
            next.put("after", Integer.toString(from + page.size()));
            next.put("link", url() + "/crm/v3/objects/contacts?after=" + (from + page.size()));
        }
        return root;
    }

    private String unauthorized() {
        switch (kind) {
            case STRIPE:
                return "{\"error\":{\"message\":\"Invalid API Key provided: sk_test_****\",\"type\":\"invalid_request_error\"}}";
            case PADDLE:
                return "{\"error\":{\"type\":\"request_error\",\"code\":\"authentication_malformed\","
                        + "\"detail\":\"Authentication header included, but incorrectly formatted\"},\"meta\":{\"request_id\":\"r\"}}";
            case CHARGEBEE:
                return "{\"message\":\"Sorry, authentication failed. Invalid api key\",\"type\":\"\","
                        + "\"api_error_code\":\"api_authentication_failed\",\"http_status_code\":401}";
            default:
                return "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                        + "\"category\":\"INVALID_AUTHENTICATION\"}";
        }
    }

    private String tooMany() {
        switch (kind) {
            case STRIPE:
                return "{\"error\":{\"message\":\"Too many requests hit the API too quickly.\",\"type\":\"rate_limit_error\"}}";
            case PADDLE:
                return "{\"error\":{\"type\":\"request_error\",\"code\":\"too_many_requests\",\"detail\":\"IP rate limit exceeded.\"}}";
            case CHARGEBEE:
                return "{\"message\":\"Sorry, access has been blocked temporarily due to request count exceeding"
                        + " acceptable limits.\",\"api_error_code\":\"api_request_limit_exceeded\",\"http_status_code\":429}";
            default:
                return "{\"status\":\"error\",\"message\":\"You have reached your secondly limit.\",\"errorType\":\"RATE_LIMIT\","
                        + "\"policyName\":\"SECONDLY\"}";
        }
    }

    private static List<JsonNode> filter(List<JsonNode> all, java.util.function.Predicate<JsonNode> keep) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : all) {
            if (keep.test(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private static int indexOf(List<JsonNode> all, String id) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).path("id").asText().equals(id)) {
                return i;
            }
        }
        return all.size();
    }

    private static List<JsonNode> slice(List<JsonNode> all, int from, int n) {
        return new ArrayList<>(all.subList(Math.min(from, all.size()), Math.min(all.size(), from + n)));
    }

    private static void respond(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
