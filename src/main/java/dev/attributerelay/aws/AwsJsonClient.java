package dev.attributerelay.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.attributerelay.Json;
import dev.attributerelay.chartmogul.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.DoubleSupplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One AWS service over its JSON protocol: {@code POST /} with {@code X-Amz-Target: <prefix>.<operation>}, signed
 * by the SDK's own SigV4 signer, sent with the JDK's {@link HttpURLConnection} (the JDK's trust store, no
 * redirects). It stands in for the SDK's generated DynamoDB and SQS clients, which cost 3.3 MB of the jar and
 * about half a second of a cold start to build and make their first call; the few operations the relay uses
 * are plain JSON.
 *
 * <p>Every call is bounded by its caller's {@link Deadline}: the connect and read timeouts come from the time
 * left, and what may pass (throttling, 5xx, a failed connection) is tried again, as the SDK's standard retry mode
 * would (3 tries, exponential backoff with full jitter), while the deadline allows. Credentials are resolved for
 * every call, so rotated or expiring ones are picked up (the providers cache what they fetch).
 */
public final class AwsJsonClient {
    /** Below this, an attempt cannot finish: give up rather than start it. */
    private static final Duration MIN_ATTEMPT = Duration.ofMillis(20);
    /** ReceiveMessage of ten 1 MiB messages, escaped, fits; anything larger is not an answer we asked for. */
    private static final int MAX_ANSWER = 32 * 1024 * 1024;

    private final AwsService service;
    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Limits limits;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param endpoint    where calls go ({@link AwsEndpoints})
     * @param credentials asked for every call
     */
    public AwsJsonClient(AwsService service, URI endpoint, String region, AwsCredentialsProvider credentials,
                         Limits limits) {
        this.service = service;
        this.endpoint = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
                ? endpoint.resolve("/") : endpoint;
        this.region = region;
        this.credentials = credentials;
        this.limits = limits;
    }

    /**
     * How long one attempt may take and how often to try.
     *
     * @param connect  the longest a connection may take to open
     * @param attempt  the longest one attempt may take
     * @param attempts tries per call, the first included
     * @param base     the first backoff ceiling (doubling each retry, up to {@code cap})
     * @param random   uniform in [0, 1), drawn only when a retry waits
     */
    public record Limits(Duration connect, Duration attempt, int attempts, Duration base, Duration cap,
                         DoubleSupplier random) {

        /** The SDK's standard retry mode: 3 tries, 100 ms base (throttling: 500 ms), at most 20 s a wait. */
        public static Limits standard(Duration connect, Duration attempt) {
            return new Limits(connect, attempt, 3, Duration.ofMillis(100), Duration.ofSeconds(20),
                    () -> Jitter.RANDOM.nextDouble());
        }

        Duration backoff(int attempt, boolean throttling) {
            long base = throttling ? 5 * this.base.toMillis() : this.base.toMillis(); // throttling backs off longer
            long ceiling = Math.min(cap.toMillis(), base << Math.min(attempt - 1, 20));
            return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
        }
    }

    /**
     * Jitter from a SecureRandom made on the first retry, not at init: containers restored from one SnapStart
     * snapshot would share a seed taken before it and back off in step.
     */
    private static final class Jitter {
        static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    }

    public AwsService service() {
        return service;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** One operation, retried within the deadline while what failed may pass. */
    public AwsReply call(String operation, Object body, Deadline deadline) {
        byte[] payload = Json.write(body).getBytes(StandardCharsets.UTF_8);
        AwsReply last = null;
        for (int attempt = 1; ; attempt++) {
            Duration left = deadline.remaining();
            if (left.compareTo(MIN_ATTEMPT) < 0) {
                return last != null ? last : new AwsReply.NoAnswer("timeout", true, false);
            }
            last = once(operation, payload, left);
            if (!last.retryable() || attempt >= limits.attempts()) {
                return last;
            }
            Duration wait = limits.backoff(attempt, last instanceof AwsReply.Refused r && r.throttling());
            if (deadline.remaining().minus(wait).compareTo(MIN_ATTEMPT) < 0) {
                return last; // no time for another try after the wait
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
    }

    /** The answer's body, or an {@link AwsCallException} for anything else. */
    public JsonNode answer(String operation, Object body, Deadline deadline) {
        AwsReply r = call(operation, body, deadline);
        if (r instanceof AwsReply.Answered a) {
            return a.body();
        }
        throw new AwsCallException(service.signingName() + " " + operation, r);
    }

    private AwsReply once(String operation, byte[] payload, Duration left) {
        Duration attempt = left.compareTo(limits.attempt()) < 0 ? left : limits.attempt();
        SignedRequest signed;
        try {
            signed = sign(operation, payload, credentials.resolveCredentials(), null);
        } catch (SdkException e) {
            // no credentials (the container endpoint down, none configured): trying again at once will not help
            return new AwsReply.NoAnswer("no credentials: " + e.getClass().getSimpleName(), false, false);
        }
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout(millis(attempt.compareTo(limits.connect()) < 0 ? attempt : limits.connect()));
            // the read timeout bounds each wait for bytes; answers here are small, so that bounds the attempt too
            c.setReadTimeout(millis(attempt));
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            HttpURLConnection conn = c;
            signed.request().forEachHeader((name, values) -> {
                // HttpURLConnection writes Host itself, from the same URL the signer signed
                if (!"host".equalsIgnoreCase(name)) {
                    conn.setRequestProperty(name, String.join(",", values));
                }
            });
            c.setFixedLengthStreamingMode(payload.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(payload);
            }
            int status = c.getResponseCode();
            byte[] bytes;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                bytes = in == null ? new byte[0] : readBounded(in);
            }
            if (status >= 200 && status < 300) {
                try {
                    return new AwsReply.Answered(bytes.length == 0 ? Json.object() : Json.readTree(bytes));
                } catch (IOException e) {
                    return new AwsReply.NoAnswer("the answer was not JSON", false, false);
                }
            }
            return refused(status, c.getHeaderField("x-amzn-ErrorType"), bytes);
        } catch (IOException e) {
            if (c != null) {
                c.disconnect(); // never hand a half-read connection back to the keep-alive pool
            }
            return e instanceof SocketTimeoutException ? new AwsReply.NoAnswer("timeout", true, true)
                    : new AwsReply.NoAnswer(e.getClass().getSimpleName(), false, true);
        }
    }

    /** The error code from {@code __type} (or the x-amzn-ErrorType header), without its namespace. */
    static AwsReply.Refused refused(int status, String errorTypeHeader, byte[] body) {
        String code = null;
        String message = null;
        JsonNode item = null;
        try {
            JsonNode error = body.length == 0 ? null : Json.readTree(body);
            if (error != null && error.isObject()) {
                code = text(error.get("__type"));
                message = text(error.get("message"));
                if (message == null) {
                    message = text(error.get("Message"));
                }
                item = error.get("Item");
            }
        } catch (IOException e) {
            // not JSON (a proxy's page): the status alone decides
        }
        if (code == null && errorTypeHeader != null && !errorTypeHeader.isBlank()) {
            code = errorTypeHeader;
        }
        if (code == null) {
            code = "HTTP " + status;
        } else {
            int colon = code.indexOf(':');
            code = colon >= 0 ? code.substring(0, colon) : code;
            code = code.substring(code.lastIndexOf('#') + 1).trim();
        }
        return new AwsReply.Refused(status, code, message == null ? "" : message,
                item != null && item.isObject() ? item : MissingNode.getInstance());
    }

    /** The request as the SDK's signer signs it; {@code clock} null for the system clock. */
    SignedRequest sign(String operation, byte[] payload, AwsCredentialsIdentity identity, Clock clock) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", service.contentType())
                .putHeader("X-Amz-Target", service.targetPrefix() + "." + operation)
                .build();
        return signer.sign(r -> {
            r.identity(identity).request(request).payload(ContentStreamProvider.fromByteArrayUnsafe(payload))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service.signingName())
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region);
            if (clock != null) {
                r.putProperty(HttpSigner.SIGNING_CLOCK, clock);
            }
        });
    }

    /**
     * Loads what a first call needs (the signer and its digests, the JSON writer, HttpURLConnection's classes) by
     * signing a fixed request with fixed, made-up credentials at a fixed time, without touching the network: safe
     * at a SnapStart init, which may keep nothing secret or unique. Meant for a side thread of init.
     */
    public static void prepare() {
        AwsJsonClient dummy = new AwsJsonClient(AwsService.DYNAMODB, URI.create("https://dynamodb.us-east-1.amazonaws.com"),
                "us-east-1", () -> {
                    throw new IllegalStateException("prepare signs with fixed credentials and asks for none");
                }, Limits.standard(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        byte[] payload = Json.write(Map.of("TableName", "prepare", "Key", Map.of("pk", Map.of("S", "prepare"))))
                .getBytes(StandardCharsets.UTF_8);
        dummy.sign("GetItem", payload, AwsCredentialsIdentity.create("AKIDPREPARE", "prepare"),
                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        try {
            ((HttpURLConnection) URI.create("http://127.0.0.1/").toURL().openConnection()).disconnect();
        } catch (IOException e) {
            // opening a connection object does not connect; nothing to do
        }
        refused(400, null, "{\"__type\":\"prepare#Prepare\",\"message\":\"\"}".getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts {@link #prepare} on a daemon thread, then {@code then} (the caller's own clients, built and thrown
     * away: their region and credentials classes); the caller may wait for it, bounded. Best effort: whatever fails
     * here fails again on first use, where it is reported.
     */
    public static Thread prepareInBackground(Runnable then) {
        Thread t = new Thread(() -> {
            try {
                prepare();
                then.run();
            } catch (RuntimeException e) {
                // see the method comment
            }
        }, "aws-prepare");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String text(JsonNode n) {
        return n == null || !n.isTextual() ? null : n.asText();
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (out.size() + n > MAX_ANSWER) {
                throw new IOException("answer over " + MAX_ANSWER + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
