package dev.attributerelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.EventLog;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.lambda.ApiGatewayHandler;
import dev.attributerelay.lambda.QueueWorkerHandler;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.queue.QueueWorker;
import dev.attributerelay.queue.Sqs;
import dev.attributerelay.queue.SqsHeldQueue;
import dev.attributerelay.queue.SqsUpdateQueue;
import dev.attributerelay.queue.SqsVisibility;
import dev.attributerelay.secrets.SecretsManagerSource;
import dev.attributerelay.state.StateStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Queued mode as deployed, on loopback: the API function (a relay whose queue is the FIFO queue, reached by an
 * SQS client built from the SDK's default configuration) and any number of worker containers, each with its own
 * relay, limiter and caches, as Lambda runs them. ChartMogul and Secrets Manager are the loopback fakes.
 */
public final class QueueHarness implements AutoCloseable {
    public static final String SECRET_ID = "attribute-relay/queue";
    public static final String API_KEY = "cm_queue_key_1";
    public static final String SIGNING_SECRET = "whsec_queue_signing_secret";
    /** Signed like Stripe; the event id, type and time come from the payload, as the Stripe preset reads them. */
    public static final String CONFIG = """
            integrations:
              billing:
                source: billing
                verify: { scheme: stripe, secret: signing_secret }
                event: { id: id, type: type, time: created }
                on_unknown_customer: retry
                events:
                  - when: type = "customer.updated"
                    customer: { external_id: data.object.id }
                    attributes:
                      plan:  { type: String,  value: data.object.plan }
                      seats: { type: Integer, value: data.object.seats }
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    public final FakeChartMogul chartmogul;
    public final FakeSecretsManager secretsManager;
    public final LocalSqs sqs;
    public final LocalSqs.Queues queues;
    /** The held-updates queue, a standard queue as template.yaml makes it; both functions write to it. */
    public final String heldUrl;
    public final Relay api;
    private final RelayConfig config;
    private final SecretsManagerClient secretsSdk;
    private final Clock clock = Clock.systemUTC();
    private final ByteArrayOutputStream apiLog = new ByteArrayOutputStream();
    private final ByteArrayOutputStream workerLog = new ByteArrayOutputStream();
    private final PrintStream workerOut = new PrintStream(workerLog, true, StandardCharsets.UTF_8);
    private final List<AutoCloseable> closing = new ArrayList<>();

    public QueueHarness(LocalSqs sqs, FakeChartMogul chartmogul, int maxReceives) {
        this(sqs, chartmogul, maxReceives, 30, CONFIG);
    }

    /**
     * @param maxReceives       the redrive limit
     * @param visibilitySeconds the queue's visibility timeout: when a message the worker neither deleted nor
     *                          delayed comes back
     */
    public QueueHarness(LocalSqs sqs, FakeChartMogul chartmogul, int maxReceives, int visibilitySeconds,
                        String relayYaml) {
        this.sqs = sqs.useAsDefault();
        this.chartmogul = chartmogul.acceptKey(API_KEY);
        this.queues = sqs.fifoWithDeadLetters(LocalSqs.uniqueName("updates"), maxReceives, visibilitySeconds);
        this.heldUrl = sqs.client().createQueue(b -> b.queueName(LocalSqs.uniqueName("held"))).queueUrl();
        this.config = ConfigLoader.parse("relay.yaml", relayYaml);
        try {
            this.secretsManager = new FakeSecretsManager().put(SECRET_ID, "{\"chartmogul_api_key\":\"" + API_KEY
                    + "\",\"signing_secret\":\"" + SIGNING_SECRET + "\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.secretsSdk = SecretsManagerClient.builder()
                .endpointOverride(secretsManager.url())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        // the API function's client, built as Wiring.forLambda builds it: endpoint from the environment
        Sqs apiSqs = sqs.relayClient();
        this.api = new Wiring.Parts(config, new SecretsManagerSource(secretsSdk, SECRET_ID),
                Wiring.transportFor(chartmogul.url()), chartmogul.url(), clock,
                new EventLog(new PrintStream(apiLog, true, StandardCharsets.UTF_8)), RelayHarness.fastRetries(),
                RateLimiter.unlimited(), new SqsUpdateQueue(apiSqs, queues.url()))
                .withHeld(new SqsHeldQueue(apiSqs, heldUrl, clock)).relay();
    }

    /** A webhook through the API function (20 s budget, as API Gateway's integration timeout nearly is). */
    public RelayHarness.Reply invoke(String eventJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ApiGatewayHandler(api, clock).handleRequest(
                    new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, new TestContext(20_000));
            return new RelayHarness.Reply(JSON.readTree(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signed {@code customer.updated} webhook setting plan and seats, as an HTTP API event. */
    public static String webhook(String eventId, Instant created, String customer, String plan, Integer seats) {
        return webhook(eventId, created, customer, plan, seats, Instant.now());
    }

    /** @param signedAt when the sender signs it (a redelivery is signed anew) */
    public static String webhook(String eventId, Instant created, String customer, String plan, Integer seats,
                                 Instant signedAt) {
        String body = "{\"id\":\"" + eventId + "\",\"type\":\"customer.updated\",\"created\":" + created.getEpochSecond()
                + ",\"data\":{\"object\":{\"id\":\"" + customer + "\",\"plan\":\"" + plan + "\""
                + (seats == null ? "" : ",\"seats\":" + seats) + "}}}";
        long now = signedAt.getEpochSecond();
        return Events.post("/webhooks/billing", body)
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(SIGNING_SECRET, now, body))
                .httpApi();
    }

    /** The API key ChartMogul accepts becomes {@code key}; the secret says so (rotation, as an operator does it). */
    public void rotateKey(String key) {
        secretsManager.put(SECRET_ID, "{\"chartmogul_api_key\":\"" + key + "\",\"signing_secret\":\"" + SIGNING_SECRET
                + "\"}");
        chartmogul.acceptKey(key).revokeKey(API_KEY);
    }

    /** A new worker container with no limiter and fast retries. */
    public Worker worker() {
        return worker(RateLimiter.unlimited(), RelayHarness.fastRetries());
    }

    /** A new worker container: its own relay (limiter, caches, stale memory), as a new Lambda instance has. */
    public Worker worker(RateLimiter limiter, RetryPolicy retry) {
        return worker(limiter, retry, UnaryOperator.identity());
    }

    /**
     * @param compress what the queue is asked for instead of each delay the worker computes (a suite that cannot
     *                 wait minutes shortens them; the worker's own figure is still recorded)
     */
    public Worker worker(RateLimiter limiter, RetryPolicy retry, UnaryOperator<Duration> compress) {
        return worker(limiter, retry, compress, null);
    }

    /** @param state the applied-state store the container shares with others (a table); null: its own memory */
    public Worker worker(RateLimiter limiter, RetryPolicy retry, UnaryOperator<Duration> compress, StateStore state) {
        Relay relay = new Wiring.Parts(config, new SecretsManagerSource(secretsSdk, SECRET_ID),
                Wiring.transportFor(chartmogul.url()), chartmogul.url(), clock, new EventLog(workerOut), retry,
                limiter, null, state).relay();
        Sqs workerSqs = sqs.relayClient();
        RecordingVisibility visibility = new RecordingVisibility(new SqsVisibility(workerSqs, queues.url()), compress);
        QueueWorker worker = new QueueWorker(relay.config(), relay.delivery(), relay.client(), visibility,
                new SqsHeldQueue(workerSqs, heldUrl, clock), relay.log(), clock);
        return new Worker(new QueueWorkerHandler(worker, clock), relay, visibility);
    }

    public SqsPoller poller(long invocationBudgetMillis) {
        return new SqsPoller(sqs.client(), queues.url(), invocationBudgetMillis);
    }

    public String apiLog() {
        return apiLog.toString(StandardCharsets.UTF_8);
    }

    public String workerLog() {
        return workerLog.toString(StandardCharsets.UTF_8);
    }

    /** The worker's JSON log lines. */
    public List<JsonNode> workerLines() {
        return TestSupport.jsonLines(workerLog());
    }

    @Override
    public void close() {
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception e) {
                // closing
            }
        }
        secretsSdk.close();
        secretsManager.close();
        chartmogul.close();
    }

    /** One worker container: the handler Lambda invokes, its relay, and the visibility changes it asked for. */
    public record Worker(QueueWorkerHandler handler, Relay relay, RecordingVisibility visibility) {
    }

    /** The real SqsVisibility, with each requested delay remembered. */
    public static final class RecordingVisibility implements QueueWorker.Visibility {
        private final QueueWorker.Visibility real;
        private final UnaryOperator<Duration> compress;
        private final List<Duration> delays = new CopyOnWriteArrayList<>();

        RecordingVisibility(QueueWorker.Visibility real, UnaryOperator<Duration> compress) {
            this.real = real;
            this.compress = compress;
        }

        @Override
        public void delay(String receiptHandle, Duration delay) {
            delays.add(delay);
            real.delay(receiptHandle, compress.apply(delay));
        }

        @Override
        public void delayAll(java.util.Map<String, Duration> byReceiptHandle) {
            java.util.Map<String, Duration> compressed = new java.util.LinkedHashMap<>();
            byReceiptHandle.forEach((handle, delay) -> {
                delays.add(delay);
                compressed.put(handle, compress.apply(delay));
            });
            real.delayAll(compressed); // in batches, as the worker sends them
        }

        public List<Duration> delays() {
            return List.copyOf(delays);
        }
    }
}
