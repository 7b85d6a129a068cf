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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A loopback HTTP server speaking the part of ChartMogul's API the relay uses, with ChartMogul's behaviour:
 * Basic auth with the key as user name, lookups by external id (0, 1 or several matches across data sources)
 * and email (404 when none), PUT of defined attributes only (400 otherwise), POST to define and set.
 * Scripted answers (recorded fixture responses or faults) take precedence, one per request, in order.
 */
public final class FakeChartMogul implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
    private final List<Customer> customers = new CopyOnWriteArrayList<>();
    private final Map<String, String> definedAttributes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, JsonNode>> values = new ConcurrentHashMap<>();
    private final List<String> validKeys = new CopyOnWriteArrayList<>();
    private volatile String everyLookupFinds;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger overloaded = new AtomicInteger();
    private final Deque<Long> admittedAt = new ArrayDeque<>();
    private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<Recorded, Fault> faults;
    private volatile int perSecond;
    private volatile int concurrent;

    public FakeChartMogul() throws IOException {
        this(4);
    }

    /** @param threads requests handled at once; more wait for a thread, as at a server with that many workers */
    public FakeChartMogul(int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.start();
    }

    /**
     * ChartMogul's account limits: more than {@code perSecond} requests in any one-second window answer 429,
     * more than {@code concurrent} requests at once answer 503, as ChartMogul documents. Requests refused do
     * not count against the rate.
     */
    public FakeChartMogul limit(int perSecond, int concurrent) {
        this.perSecond = perSecond;
        this.concurrent = concurrent;
        return this;
    }

    /** Consulted for each request the script does not answer: a fault to inject, or null to answer normally. */
    public FakeChartMogul faults(Function<Recorded, Fault> faults) {
        this.faults = faults;
        return this;
    }

    /** 429s answered for the rate limit. */
    public int throttled() {
        return throttled.get();
    }

    /** 503s answered for too many requests at once. */
    public int overloaded() {
        return overloaded.get();
    }

    /** The most requests handled at once so far. */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    /** The most requests that arrived within any one second (refused ones included): what the client sent. */
    public int peakPerSecond() {
        List<Long> at;
        synchronized (arrivals) {
            at = new ArrayList<>(arrivals);
        }
        Collections.sort(at);
        return TestSupport.maxInAnySecond(at);
    }

    /** Seconds from the first request to the last (0 with fewer than two). */
    public double activeSeconds() {
        synchronized (arrivals) {
            if (arrivals.size() < 2) {
                return 0;
            }
            return (Collections.max(arrivals) - Collections.min(arrivals)) / 1e9;
        }
    }

    /** Requests being handled now (a delayed one included, until its answer is written). */
    public int inFlight() {
        return inFlight.get();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeChartMogul acceptKey(String key) {
        validKeys.add(key);
        return this;
    }

    public FakeChartMogul revokeKey(String key) {
        validKeys.remove(key);
        return this;
    }

    public FakeChartMogul customer(String uuid, String externalId, String dataSourceUuid, String email) {
        customers.add(new Customer(uuid, externalId, dataSourceUuid, email));
        return this;
    }

    /** Every lookup, by external id or email, finds this one customer (for runs over payloads of unknown people). */
    public FakeChartMogul everyLookupFinds(String uuid) {
        this.everyLookupFinds = uuid;
        customers.add(new Customer(uuid, "(any)", "(any)", null));
        return this;
    }

    public FakeChartMogul removeCustomer(String uuid) {
        customers.removeIf(c -> c.uuid.equals(uuid));
        return this;
    }

    /** Defines a custom attribute in the account (as ChartMogul's UI or a POST would). */
    public FakeChartMogul defined(String key, String type) {
        definedAttributes.put(key, type);
        return this;
    }

    /** The next request is answered with this status, body and headers, whatever it is. */
    public FakeChartMogul thenAnswer(int status, String body, Map<String, String> headers) {
        script.add(new Scripted(status, body, headers, 0, false));
        return this;
    }

    /** The next request is answered with one of the project's ChartMogul exchanges ({@code fixtures/chartmogul/<name>.json}). */
    public FakeChartMogul thenReplay(String fixture) {
        return thenReplay(Fixtures.chartmogul(fixture));
    }

    /** The next request is answered with an exchange's response ({@code {"request": …, "response": …}}). */
    public FakeChartMogul thenReplay(JsonNode exchange) {
        JsonNode r = exchange.get("response");
        Map<String, String> headers = new LinkedHashMap<>();
        r.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        JsonNode body = r.get("body");
        String text = body == null || body.isNull() ? "" : body.isTextual() ? body.asText() : body.toString();
        script.add(new Scripted(r.get("status").asInt(), text, headers, 0, false));
        return this;
    }

    /** The next request waits this long before it is handled normally. */
    public FakeChartMogul thenDelay(long millis) {
        script.add(new Scripted(0, null, Map.of(), millis, false));
        return this;
    }

    /**
     * The next request is answered {@code status} at once, then with {@code bytes} bytes of body (JSON whitespace)
     * written {@code chunk} at a time, {@code pauseMillis} apart, until all are written or the client goes away:
     * a server trickling its answer, or one sending more than a client should read. The answer declares
     * {@code declaredLength} bytes, or none (chunked) when it is negative.
     */
    public FakeChartMogul thenStream(int status, long declaredLength, long bytes, int chunk, long pauseMillis) {
        script.add(new Scripted(status, null, Map.of(), 0, false,
                new Streamed(declaredLength, bytes, chunk, pauseMillis)));
        return this;
    }

    /** The client's port of each request, in order: the same port twice is one connection kept alive. */
    public List<Integer> clientPorts() {
        return Collections.unmodifiableList(clientPorts);
    }

    /** The next request's connection is closed without an answer. */
    public FakeChartMogul thenDrop() {
        script.add(new Scripted(0, null, Map.of(), 0, true));
        return this;
    }

    public List<Recorded> requests() {
        return Collections.unmodifiableList(requests);
    }

    public List<Recorded> requests(String method) {
        List<Recorded> out = new ArrayList<>();
        for (Recorded r : requests) {
            if (r.method.equals(method)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The attribute values stored for a customer, as ChartMogul would return them. */
    public Map<String, JsonNode> attributesOf(String uuid) {
        return values.getOrDefault(uuid, Map.of());
    }

    public Map<String, String> definedAttributes() {
        return Map.copyOf(definedAttributes);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        arrivals.add(System.nanoTime());
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = ex.getRequestURI();
            Map<String, String> query = query(uri.getRawQuery());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Recorded recorded = new Recorded(ex.getRequestMethod(), uri.getPath(), query, body.isEmpty() ? null : body,
                    keyOf(auth), ex.getRequestHeaders().getFirst("Content-Type"));
            requests.add(recorded);
            clientPorts.add(ex.getRemoteAddress().getPort());
            if (concurrent > 0 && now > concurrent) {
                overloaded.incrementAndGet();
                respond(ex, 503, "{\"error\":\"Too many concurrent connections\"}", Map.of());
                return;
            }
            if (perSecond > 0 && !admit()) {
                throttled.incrementAndGet();
                respond(ex, 429, "{\"code\":429,\"message\":\"Too Many Requests\",\"param\":null}", Map.of());
                return;
            }
            Scripted s = script.poll();
            Function<Recorded, Fault> chaos = faults;
            if (s == null && chaos != null) {
                Fault f = chaos.apply(recorded);
                s = f == null ? null : new Scripted(f.status(), f.body(), f.headers(), f.delayMillis(), f.drop());
            }
            if (s != null && s.streamed != null) {
                stream(ex, s.status, s.streamed);
                return;
            }
            if (s != null) {
                if (s.delayMillis > 0) {
                    sleep(s.delayMillis);
                }
                if (s.drop) {
                    ex.getHttpContext().getServer();
                    ex.getResponseBody().close(); // closes before any status line: the client sees a broken exchange
                    return;
                } else if (s.delayMillis == 0) {
                    respond(ex, s.status, s.body, s.headers);
                    return;
                }
            }
            if (!validKeys.contains(keyOf(auth))) {
                respond(ex, 401, "{\"code\":401,\"message\":\"No valid API key provided\",\"param\":null}", Map.of());
                return;
            }
            route(ex, uri.getPath(), query, body);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** A sliding one-second window over the requests let through. */
    private boolean admit() {
        long now = System.nanoTime();
        synchronized (admittedAt) {
            while (!admittedAt.isEmpty() && now - admittedAt.peekFirst() >= 1_000_000_000L) {
                admittedAt.pollFirst();
            }
            if (admittedAt.size() >= perSecond) {
                return false;
            }
            admittedAt.addLast(now);
            return true;
        }
    }

    private void route(HttpExchange ex, String path, Map<String, String> query, String body) throws IOException {
        String method = ex.getRequestMethod();
        if (method.equals("GET") && everyLookupFinds != null && (path.equals("/v1/customers") || path.equals("/v1/customers/search"))) {
            respond(ex, 200, entries(List.of(new Customer(everyLookupFinds, query.getOrDefault("external_id", "x"), "ds",
                    query.get("email")))).toString(), Map.of());
        } else if (method.equals("GET") && path.equals("/v1/customers") && !query.containsKey("external_id")) {
            respond(ex, 200, listPage(query).toString(), Map.of());
        } else if (method.equals("GET") && path.equals("/v1/customers")) {
            List<Customer> found = new ArrayList<>();
            for (Customer c : customers) {
                if (c.externalId.equals(query.get("external_id"))
                        && (query.get("data_source_uuid") == null || query.get("data_source_uuid").equals(c.dataSource))) {
                    found.add(c);
                }
            }
            respond(ex, 200, entries(found).toString(), Map.of());
        } else if (method.equals("GET") && path.equals("/v1/customers/search")) {
            List<Customer> found = new ArrayList<>();
            for (Customer c : customers) {
                if (c.email != null && c.email.equalsIgnoreCase(query.get("email"))) {
                    found.add(c);
                }
            }
            if (found.isEmpty()) {
                respond(ex, 404, "{\"code\":404,\"message\":\"Customer not found\",\"param\":null}", Map.of());
            } else {
                respond(ex, 200, entries(found).toString(), Map.of());
            }
        } else if (path.startsWith("/v1/customers/") && path.endsWith("/attributes/custom")) {
            String uuid = path.substring("/v1/customers/".length(), path.length() - "/attributes/custom".length());
            if (customers.stream().noneMatch(c -> c.uuid.equals(uuid))) {
                respond(ex, 404, "{\"code\":404,\"message\":\"The requested customer was not found\",\"param\":null}",
                        Map.of());
                return;
            }
            JsonNode custom = JSON.readTree(body).path("custom");
            Map<String, JsonNode> stored = values.computeIfAbsent(uuid, k -> new ConcurrentHashMap<>());
            ObjectNode answer = JSON.createObjectNode();
            if (method.equals("PUT")) {
                List<String> undefined = new ArrayList<>();
                custom.fieldNames().forEachRemaining(k -> {
                    if (!definedAttributes.containsKey(k)) {
                        undefined.add(k);
                    }
                });
                if (!undefined.isEmpty()) {
                    respond(ex, 400, "{\"code\":400,\"message\":\"Custom attribute " + undefined.get(0)
                            + " is not defined\",\"param\":\"custom\"}", Map.of());
                    return;
                }
                custom.fields().forEachRemaining(e -> stored.put(e.getKey(), e.getValue().path("value")));
            } else if (method.equals("POST")) {
                for (JsonNode a : custom) {
                    definedAttributes.putIfAbsent(a.path("key").asText(), a.path("type").asText());
                    stored.put(a.path("key").asText(), a.path("value"));
                }
            } else {
                respond(ex, 405, "{\"error\":\"method not allowed\"}", Map.of());
                return;
            }
            stored.forEach(answer::set);
            respond(ex, 200, "{\"custom\":" + answer + "}", Map.of());
        } else {
            respond(ex, 404, "{\"error\":\"Not found\"}", Map.of());
        }
    }

    /**
     * ChartMogul's customer list: {@code per_page} (at most 200) a page in a stable order, {@code cursor} from the
     * previous page, narrowed to {@code data_source_uuid}; each entry with its custom attributes as stored.
     */
    private ObjectNode listPage(Map<String, String> query) {
        List<Customer> all = new ArrayList<>();
        for (Customer c : customers) {
            if (query.get("data_source_uuid") == null || query.get("data_source_uuid").equals(c.dataSource)) {
                all.add(c);
            }
        }
        int perPage = Math.max(1, Math.min(200, Integer.parseInt(query.getOrDefault("per_page", "200"))));
        int from = query.get("cursor") == null ? 0
                : Integer.parseInt(new String(Base64.getDecoder().decode(query.get("cursor")), StandardCharsets.UTF_8));
        List<Customer> page = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + perPage));
        ObjectNode root = entries(page);
        ArrayNode entries = (ArrayNode) root.get("entries");
        for (JsonNode e : entries) {
            ObjectNode custom = ((ObjectNode) e).putObject("attributes").putObject("custom");
            values.getOrDefault(e.path("uuid").asText(), Map.of()).forEach(custom::set);
        }
        boolean more = from + perPage < all.size();
        root.put("has_more", more);
        root.put("cursor", Base64.getEncoder().encodeToString(Integer.toString(from + perPage).getBytes(StandardCharsets.UTF_8)));
        return root;
    }

    private static ObjectNode entries(List<Customer> found) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode entries = root.putArray("entries");
        for (Customer c : found) {
            ObjectNode e = entries.addObject();
            e.put("uuid", c.uuid);
            e.put("external_id", c.externalId);
            e.putArray("data_source_uuids").add(c.dataSource);
            e.put("email", c.email == null ? "" : c.email);
        }
        root.put("has_more", false);
        root.put("cursor", "MjAyMy0xMC0yOVQyMToxMzo1MS4wMDBa");
        return root;
    }

    private static void respond(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        boolean hasType = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("content-type"));
        if (!hasType && bytes.length > 0) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
        }
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void stream(HttpExchange ex, int status, Streamed s) {
        byte[] piece = new byte[s.chunk];
        java.util.Arrays.fill(piece, (byte) ' ');
        try {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            // HttpServer's lengths: 0 is "none, chunked", -1 is "no body"
            ex.sendResponseHeaders(status, s.declaredLength < 0 ? 0 : s.declaredLength == 0 ? -1 : s.declaredLength);
            OutputStream out = ex.getResponseBody();
            for (long sent = 0; sent < s.bytes && !Thread.currentThread().isInterrupted(); sent += piece.length) {
                out.write(piece, 0, (int) Math.min(piece.length, s.bytes - sent));
                out.flush();
                if (s.pauseMillis > 0) {
                    sleep(s.pauseMillis);
                }
            }
            out.close();
        } catch (IOException e) {
            // the client went away, as a client that refuses the answer should
        }
    }

    private static String keyOf(String auth) {
        if (auth == null || !auth.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? decoded : decoded.substring(0, colon);
    }

    /** A raw query string as name → decoded value (the fakes' requests carry each name once). */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One request as received: the API key it carried, never logged by the relay itself. */
    public record Recorded(String method, String path, Map<String, String> query, String body, String apiKey,
                           String contentType) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Customer(String uuid, String externalId, String dataSource, String email) {
    }

    private record Scripted(int status, String body, Map<String, String> headers, long delayMillis, boolean drop,
                            Streamed streamed) {
        Scripted(int status, String body, Map<String, String> headers, long delayMillis, boolean drop) {
            this(status, body, headers, delayMillis, drop, null);
        }
    }

    /** An answer written in pieces: see {@link #thenStream}. */
    private record Streamed(long declaredLength, long bytes, int chunk, long pauseMillis) {
    }

    /** A fault for {@link #faults}: an answer, a delay before the normal answer, or a dropped connection. */
    public record Fault(int status, String body, Map<String, String> headers, long delayMillis, boolean drop) {
        public static Fault answer(int status, String body, Map<String, String> headers) {
            return new Fault(status, body, headers, 0, false);
        }

        public static Fault delay(long millis) {
            return new Fault(0, null, Map.of(), millis, false);
        }

        public static Fault dropConnection() {
            return new Fault(0, null, Map.of(), 0, true);
        }

        /** No answer for this long, then the connection closes: a time-out that changed nothing. */
        public static Fault stall(long millis) {
            return new Fault(0, null, Map.of(), millis, true);
        }
    }
}
