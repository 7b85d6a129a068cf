package dev.attributerelay.chartmogul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import dev.attributerelay.mapping.TypedValue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ChartMogul's REST API, the calls this relay needs: look customers up, update and create custom
 * attributes. Retries what may pass (429, 502, 503, 504, no answer; a 500 once) within the deadline;
 * re-reads the API key once when ChartMogul answers 401.
 */
public final class ChartMogulClient {
    private final URI base;
    private final ApiKeys keys;
    private final Transport transport;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final RateLimiter limiter;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicLong latencyMillis = new AtomicLong();

    public ChartMogulClient(URI base, ApiKeys keys, Transport transport, RetryPolicy retry, Sleeper sleeper) {
        this(base, keys, transport, retry, sleeper, RateLimiter.unlimited());
    }

    public ChartMogulClient(URI base, ApiKeys keys, Transport transport, RetryPolicy retry, Sleeper sleeper,
                            RateLimiter limiter) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.keys = keys;
        this.transport = transport;
        this.retry = retry;
        this.sleeper = sleeper;
        this.limiter = limiter;
    }

    /** Customers with this external id (in one data source when given); none is an empty match. */
    public CustomerMatches findByExternalId(String externalId, String dataSourceUuid, Deadline deadline) {
        String query = "external_id=" + encode(externalId)
                + (dataSourceUuid == null ? "" : "&data_source_uuid=" + encode(dataSourceUuid));
        Transport.Response r = call("GET", "/v1/customers?" + query, null, deadline);
        return uuids(r);
    }

    /** Customers with this email; ChartMogul's 404 for "none" becomes an empty match. */
    public CustomerMatches findByEmail(String email, Deadline deadline) {
        try {
            return uuids(call("GET", "/v1/customers/search?email=" + encode(email), null, deadline));
        } catch (ChartMogulException e) {
            if (e.status() == 404) {
                return new CustomerMatches(List.of(), false);
            }
            throw e;
        }
    }

    /**
     * One page of the account's customers (of one data source when given), {@code perPage} at most 200, for
     * resolving many references with one call per page instead of one per customer.
     *
     * @param cursor null for the first page, else the previous page's {@link CustomerPage#cursor()}
     */
    public CustomerPage listCustomers(String dataSourceUuid, String cursor, int perPage, Deadline deadline) {
        StringBuilder query = new StringBuilder("per_page=").append(Math.max(1, Math.min(200, perPage)));
        if (dataSourceUuid != null) {
            query.append("&data_source_uuid=").append(encode(dataSourceUuid));
        }
        if (cursor != null) {
            query.append("&cursor=").append(encode(cursor));
        }
        Transport.Response r = call("GET", "/v1/customers?" + query, null, deadline);
        JsonNode root;
        try {
            root = Json.readTree(r.body());
        } catch (IOException e) {
            throw new ChartMogulException(r.status(), "ChartMogul answered with a body that is not JSON",
                    r.headers().get("x-request-id"), true, 5);
        }
        List<JsonNode> entries = new ArrayList<>();
        root.path("entries").forEach(entries::add);
        String next = root.path("cursor").isTextual() ? root.path("cursor").asText() : null;
        return new CustomerPage(entries, next, root.path("has_more").asBoolean(false) && next != null);
    }

    /** PUT: sets attributes already defined in the account. */
    public void updateAttributes(String uuid, Map<String, TypedValue> attributes, String source, Deadline deadline) {
        ObjectNode custom = Json.object();
        attributes.forEach((key, v) -> {
            ObjectNode entry = custom.putObject(key);
            entry.set("value", Json.toTree(v.value()));
            entry.put("source", source);
        });
        ObjectNode body = Json.object();
        body.set("custom", custom);
        call("PUT", "/v1/customers/" + encode(uuid) + "/attributes/custom", Json.write(body), deadline);
    }

    /** POST: defines the attributes with their declared types, and sets them. */
    public void addAttributes(String uuid, Map<String, TypedValue> attributes, String source, Deadline deadline) {
        ArrayNode custom = Json.array();
        attributes.forEach((key, v) -> {
            ObjectNode entry = custom.addObject();
            entry.put("type", v.type().name());
            entry.put("key", key);
            entry.set("value", Json.toTree(v.value()));
            entry.put("source", source);
        });
        ObjectNode body = Json.object();
        body.set("custom", custom);
        call("POST", "/v1/customers/" + encode(uuid) + "/attributes/custom", Json.write(body), deadline);
    }

    /** HTTP exchanges made so far (retries included), for logs and metrics. */
    public int calls() {
        return calls.get();
    }

    /** Retries made so far. */
    public int retries() {
        return retries.get();
    }

    /** ChartMogul's 429 answers so far. */
    public int throttled() {
        return throttled.get();
    }

    /** Milliseconds spent waiting for ChartMogul's answers so far. */
    public long latencyMillis() {
        return latencyMillis.get();
    }

    /** A snapshot of the counters, to diff around one event. */
    public Usage usage() {
        return new Usage(calls.get(), retries.get(), throttled.get(), latencyMillis.get());
    }

    /** Counters of the client's work; {@link #minus} gives one event's share. */
    public record Usage(int calls, int retries, int throttled, long latencyMillis) {
        public Usage minus(Usage before) {
            return new Usage(calls - before.calls, retries - before.retries, throttled - before.throttled,
                    latencyMillis - before.latencyMillis);
        }
    }

    private Transport.Response call(String method, String pathAndQuery, String body, Deadline deadline) {
        URI uri = URI.create(base + pathAndQuery);
        String key = keys.current(deadline);
        boolean keyRefreshed = false;
        boolean serverErrorRetried = false;
        int attempt = 0;
        while (true) {
            Duration left = deadline.remaining();
            if (left.toMillis() < 50) {
                throw new ChartMogulException(ChartMogulException.NO_RESPONSE,
                        "no time left before the function's deadline to call ChartMogul", null, true, 5);
            }
            if (!limiter.acquire(left.minusMillis(50), sleeper)) {
                throw new ChartMogulException(ChartMogulException.NO_RESPONSE, "the request budget of "
                        + limiter.perSecond() + "/s for ChartMogul is used up until after the deadline", null, true, 1);
            }
            left = deadline.remaining();
            attempt++;
            ChartMogulException failure;
            Transport.Response response = null;
            long sent = System.nanoTime();
            try {
                calls.incrementAndGet();
                response = transport.send(request(method, uri, key, body), min(retry.perCall(), left));
                failure = null;
            } catch (IOException e) {
                failure = new ChartMogulException(ChartMogulException.NO_RESPONSE,
                        "ChartMogul did not answer (" + e.getClass().getSimpleName() + ")", null, true, 5);
            }
            latencyMillis.addAndGet((System.nanoTime() - sent) / 1_000_000);
            if (response != null) {
                int status = response.status();
                if (status == 429) {
                    throttled.incrementAndGet();
                }
                if (status >= 200 && status < 300) {
                    return response;
                }
                if (status == 401 && !keyRefreshed) {
                    // the key may have been rotated since it was cached: read it again, once
                    keyRefreshed = true;
                    key = keys.refreshed(deadline);
                    attempt--;
                    continue;
                }
                failure = error(response);
            }
            boolean again = failure.status() == 500 ? !serverErrorRetried : retryable(failure.status());
            if (!again || attempt >= retry.maxAttempts()) {
                throw failure;
            }
            serverErrorRetried |= failure.status() == 500;
            Duration wait = retry.backoff(attempt);
            Duration asked = retryAfter(response);
            if (asked != null && asked.compareTo(wait) > 0) {
                wait = asked;
            }
            if (wait.plusMillis(50).compareTo(deadline.remaining()) >= 0) {
                throw failure; // no time for another try; the sender's redelivery will make it
            }
            retries.incrementAndGet();
            sleeper.sleep(wait);
        }
    }

    private static boolean retryable(int status) {
        return status == ChartMogulException.NO_RESPONSE || status == 429 || status == 502 || status == 503
                || status == 504;
    }

    private static ChartMogulException error(Transport.Response r) {
        int status = r.status();
        boolean mayPass = retryable(status) || status == 500 || status == 401 || status == 403;
        Duration asked = retryAfter(r);
        int retryAfter = asked == null ? (status == 429 ? 2 : 5) : (int) Math.max(1, asked.toSeconds());
        return new ChartMogulException(status, ErrorBody.message(status, r.body()), r.headers().get("x-request-id"),
                mayPass, retryAfter);
    }

    /** ChartMogul documents no Retry-After, but honours one in whole seconds when a proxy or it sends one. */
    private static Duration retryAfter(Transport.Response r) {
        if (r == null) {
            return null;
        }
        String v = r.headers().get("retry-after");
        if (v == null) {
            return null;
        }
        try {
            long s = Long.parseLong(v.trim());
            return s < 0 ? null : Duration.ofSeconds(Math.min(s, 3600));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Transport.Request request(String method, URI uri, String key, String body) {
        String auth = "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = body == null
                ? Map.of("Authorization", auth, "Accept", "application/json")
                : Map.of("Authorization", auth, "Accept", "application/json", "Content-Type", "application/json");
        return new Transport.Request(method, uri, headers, body);
    }

    private static CustomerMatches uuids(Transport.Response r) {
        JsonNode root;
        try {
            root = Json.readTree(r.body());
        } catch (IOException e) {
            throw new ChartMogulException(r.status(), "ChartMogul answered with a body that is not JSON",
                    r.headers().get("x-request-id"), true, 5);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode entry : root.path("entries")) {
            String uuid = entry.path("uuid").asText(null);
            if (uuid != null) {
                out.add(uuid);
            }
        }
        return new CustomerMatches(out, root.path("has_more").asBoolean(false));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Waits between retries; a seam so tests can count waits instead of sleeping through them. */
    public interface Sleeper {
        void sleep(Duration d);

        Sleeper REAL = d -> {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
