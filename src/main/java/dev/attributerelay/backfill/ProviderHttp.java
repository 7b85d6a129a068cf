package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Json;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.RateLimiter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * GETs from a provider's API: its auth header, our own pace below its documented rate limit, and on a 429 or a
 * 5xx a wait of what {@code Retry-After} asks (else a growing backoff) before the same request again. A 401 or
 * 403 stops at once: a wrong key does not get better by asking again.
 */
final class ProviderHttp {
    static final int MAX_ATTEMPTS = 8;
    private static final Duration MAX_WAIT = Duration.ofMinutes(2);

    private final String provider;
    private final String authorization;
    private final RateLimiter pace;
    private final ChartMogulClient.Sleeper sleeper;
    private final HttpClient client;
    private int calls;
    private int throttled;

    /**
     * @param provider      the provider's name, for messages
     * @param authorization the whole Authorization header value; never printed
     */
    ProviderHttp(String provider, String authorization, RateLimiter pace, ChartMogulClient.Sleeper sleeper) {
        this.provider = provider;
        this.authorization = authorization;
        this.pace = pace;
        this.sleeper = sleeper;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Requests made so far, retries included. */
    synchronized int calls() {
        return calls;
    }

    /** 429 answers so far. */
    synchronized int throttled() {
        return throttled;
    }

    JsonNode get(URI uri) {
        for (int attempt = 1; ; attempt++) {
            pace.acquire(Duration.ofDays(1), sleeper);
            HttpResponse<String> r;
            synchronized (this) {
                calls++;
            }
            try {
                r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
                        .header("Authorization", authorization).header("Accept", "application/json").build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new ProviderException(0, provider + " did not answer " + path(uri) + " after " + attempt
                            + " tries (" + e.getClass().getSimpleName() + ")");
                }
                sleeper.sleep(backoff(attempt));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(0, "interrupted while reading from " + provider);
            }
            int status = r.statusCode();
            if (status >= 200 && status < 300) {
                try {
                    return Json.readTree(r.body());
                } catch (IOException e) {
                    throw new ProviderException(status, provider + " answered " + path(uri) + " with a body that is not JSON");
                }
            }
            if (status == 401 || status == 403) {
                throw new ProviderException(status, provider + " refused the API key (HTTP " + status + ": "
                        + errorText(r.body()) + "); check the key that backfill.api_key names, and that it may read "
                        + path(uri));
            }
            boolean mayPass = status == 429 || status >= 500;
            if (status == 429) {
                synchronized (this) {
                    throttled++;
                }
            }
            if (!mayPass || attempt >= MAX_ATTEMPTS) {
                throw new ProviderException(status, provider + " answered " + path(uri) + " with HTTP " + status + ": "
                        + errorText(r.body()) + (mayPass ? " (after " + attempt + " tries)" : ""));
            }
            Duration wait = retryAfter(r).orElse(backoff(attempt));
            sleeper.sleep(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
        }
    }

    /** Retry-After in whole seconds (Paddle, Chargebee, HubSpot send it; Stripe may). */
    static Optional<Duration> retryAfter(HttpResponse<?> r) {
        Optional<String> v = r.headers().firstValue("Retry-After");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            long s = Long.parseLong(v.get().trim());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(30_000L, 500L << Math.min(attempt - 1, 10)));
    }

    /** The provider's own error sentence, short; the body is the provider's, not a customer's. */
    private static String errorText(String body) {
        try {
            JsonNode n = Json.readTree(body);
            for (JsonNode m : new JsonNode[] {n.path("error").path("message"), n.path("error").path("detail"),
                    n.path("message"), n.path("error_msg"), n.path("error")}) {
                if (m.isTextual() && !m.asText().isBlank()) {
                    String t = m.asText();
                    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: say nothing of it
        }
        return "no error message";
    }

    /** The path without the query (cursors and filters are of no use in a message). */
    private static String path(URI uri) {
        return uri.getRawPath();
    }
}
