package dev.attributerelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.EventLog;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.lambda.ApiGatewayHandler;
import dev.attributerelay.lambda.EventBridgeHandler;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.queue.HeldQueue;
import dev.attributerelay.secrets.SecretsManagerSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The real handlers and pipeline, wired as in a deployed function but against loopback ChartMogul and Secrets
 * Manager servers (the real AWS SDK client talks to the fake), with the log captured.
 */
public final class RelayHarness implements AutoCloseable {
    public static final String SECRET_ID = "attribute-relay/test";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final FakeChartMogul chartmogul;
    public final FakeSecretsManager secretsManager;
    public final Relay relay;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final SecretsManagerClient sdk;
    private final Clock clock;

    public RelayHarness(String relayYaml, String secretJson) {
        this(relayYaml, secretJson, Clock.systemUTC());
    }

    public RelayHarness(String relayYaml, String secretJson, Clock clock) {
        this(relayYaml, secretJson, clock, null);
    }

    /** @param held the held queue the relay writes to; null: held updates are logged only, as without one */
    public RelayHarness(String relayYaml, String secretJson, Clock clock, HeldQueue held) {
        try {
            this.chartmogul = new FakeChartMogul();
            this.secretsManager = new FakeSecretsManager().put(SECRET_ID, secretJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.clock = clock;
        this.sdk = SecretsManagerClient.builder()
                .endpointOverride(secretsManager.url())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        EventLog log = new EventLog(new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        Wiring.Parts parts = new Wiring.Parts(ConfigLoader.parse("relay.yaml", relayYaml),
                new SecretsManagerSource(sdk, SECRET_ID), Wiring.transportFor(chartmogul.url()), chartmogul.url(), clock,
                log, fastRetries(), RateLimiter.unlimited(), null);
        this.relay = (held == null ? parts : parts.withHeld(held)).relay();
    }

    /** Real backoff shape, small waits: a test retries in milliseconds, not seconds. */
    public static RetryPolicy fastRetries() {
        return new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(2), () -> 0.5);
    }

    /** Runs an API Gateway event through the handler; answers the Lambda response object. */
    public Reply invoke(String eventJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ApiGatewayHandler(relay, clock).handleRequest(
                    new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, new TestContext(20_000));
            return new Reply(JSON.readTree(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EventBridgeHandler eventBridge() {
        return new EventBridgeHandler(relay, clock);
    }

    public String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** The log's JSON lines. */
    public java.util.List<JsonNode> logLines() {
        return TestSupport.jsonLines(log());
    }

    @Override
    public void close() {
        chartmogul.close();
        secretsManager.close();
        sdk.close();
    }

    /** The Lambda proxy response: status, headers, and the JSON body. */
    public record Reply(JsonNode raw) {
        public int status() {
            return raw.path("statusCode").asInt();
        }

        public String header(String name) {
            return raw.path("headers").path(name).asText(null);
        }

        public JsonNode body() {
            try {
                return JSON.readTree(raw.path("body").asText());
            } catch (IOException e) {
                throw new AssertionError("body is not JSON: " + raw.path("body").asText(), e);
            }
        }

        @Override
        public String toString() {
            return raw.toString();
        }
    }
}
