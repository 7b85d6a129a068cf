package dev.attributerelay.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.attributerelay.EventLog;
import dev.attributerelay.Json;
import dev.attributerelay.Wiring;
import dev.attributerelay.aws.AwsJsonClient;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.chartmogul.Transport;
import dev.attributerelay.lambda.ApiGatewayHandler;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.secrets.SecretsManagerSource;
import dev.attributerelay.state.StateStore;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeAwsJson;
import dev.attributerelay.testing.FakeSecretsManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What each piece of a cold start costs, one after the other in a fresh JVM, in wall time and in CPU time of all
 * threads (class loading, the interpreter, C1 compiling): the measurement behind the floor in
 * docs/performance.md. Every stage pays only for what the stages before it have not loaded yet, so the order is
 * that of a real init. Run with {@code bench/run init-stages} (it starts this with Lambda's JVM flags).
 */
public final class InitStages {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static long wall = System.nanoTime();
    private static long cpu = OS.getProcessCpuTime();

    private InitStages() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| stage | wall (ms) | CPU, all threads (ms) |\n|---|---:|---:|");
        stage("JVM start to main (no JVM flags of the runtime client)", () -> { });
        stage("Jackson: the first ObjectMapper", () -> Json.mapper().hashCode());
        RelayConfig[] config = new RelayConfig[1];
        stage("relay.yaml: YAML, checks, JSONata compile (the bundled relay.yaml)",
                () -> config[0] = ConfigLoader.loadBundled());
        stage("HTTP client for ChartMogul: TLS trust store, java.net.http",
                () -> Wiring.transportFor(URI.create("https://api.chartmogul.com")));
        stateTable(args.length > 0 && args[0].equals("--sdk-dynamodb"));
        FakeSecretsManager fake = new FakeSecretsManager().put("s", "{\"chartmogul_api_key\":\"k\"}");
        mark();
        SecretsManagerClient[] sdk = new SecretsManagerClient[1];
        stage("AWS SDK: Secrets Manager client build", () -> sdk[0] = SecretsManagerSource.client(Region.EU_WEST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")), fake.url()));
        stage("AWS SDK: first GetSecretValue (loopback)", () -> new SecretsManagerSource(sdk[0], "s").read());
        stage("AWS SDK: second GetSecretValue (loopback)", () -> new SecretsManagerSource(sdk[0], "s").read());
        fake.close();

        String secret = "whsec_stages";
        Instant now = Instant.now();
        String body = PipelineBenchmark.stripeBody();
        byte[] event = Events.post("/webhooks/stripe", body).header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(secret, now.getEpochSecond(), body)).httpApi()
                .getBytes(StandardCharsets.UTF_8);
        Transport instant = (request, timeout) -> new Transport.Response(200, Map.of(), request.method().equals("GET")
                ? "{\"entries\":[{\"uuid\":\"cus_1\"}],\"has_more\":false}" : "{\"custom\":{}}");
        ApiGatewayHandler handler = new ApiGatewayHandler(Wiring.relay(config[0], new LocalSecretSource(
                "{\"chartmogul_api_key\":\"k\",\"stripe_signing_secret\":\"" + secret + "\"}", "stages"), instant,
                URI.create("https://api.chartmogul.com"), Clock.systemUTC(),
                new EventLog(new PrintStream(OutputStream.nullOutputStream())), RetryPolicy.standard()),
                Clock.systemUTC());
        mark();
        for (String which : new String[] {"first", "second"}) {
            stage("the handler, " + which + " Stripe event (ChartMogul in-process, no network)", () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                handler.handleRequest(new ByteArrayInputStream(event), out, null);
                if (!out.toString(StandardCharsets.UTF_8).contains("applied")) {
                    throw new IllegalStateException(out.toString(StandardCharsets.UTF_8));
                }
            });
        }
    }

    /**
     * The state table's client and its first GetItem, against a loopback endpoint answering an empty item; with
     * {@code sdk}, the SDK's DynamoDB client instead (still on the test class path), for the comparison in
     * docs/performance.md. Run before the Secrets Manager stages, which would load the SDK's shared classes first.
     */
    private static void stateTable(boolean sdk) throws Exception {
        FakeAwsJson dynamo = new FakeAwsJson();
        Map<String, String> env = Map.of("RELAY_STATE_TABLE", "t", "AWS_ENDPOINT_URL_DYNAMODB", dynamo.url().toString(),
                "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b");
        mark();
        if (sdk) {
            DynamoDbClient[] client = new DynamoDbClient[1];
            stage("state table, the SDK's DynamoDB client: build", () -> client[0] = DynamoDbClient.builder()
                    .endpointOverride(dynamo.url()).region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .httpClient(UrlConnectionHttpClient.builder().build()).build());
            for (String which : new String[] {"first", "second"}) {
                stage("state table, the SDK's DynamoDB client: " + which + " GetItem (loopback)", () -> client[0]
                        .getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("customer#c")))));
            }
        } else {
            stage("state table, JSON-protocol client: prepare (signer classes, no network)", AwsJsonClient::prepare);
            StateStore store = Wiring.stateStore(env);
            for (String which : new String[] {"first", "second"}) {
                stage("state table, JSON-protocol client: " + which + " GetItem (loopback)",
                        () -> store.applied("c", Deadline.in(Duration.ofSeconds(5), Clock.systemUTC())));
            }
        }
        dynamo.close();
    }

    private interface Stage {
        void run() throws Exception;
    }

    private static void stage(String name, Stage s) throws Exception {
        if (!name.startsWith("JVM start")) {
            s.run();
        }
        long w = System.nanoTime();
        long c = OS.getProcessCpuTime();
        long wallMs = name.startsWith("JVM start")
                ? ManagementFactory.getRuntimeMXBean().getUptime() : (w - wall) / 1_000_000;
        System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", name, wallMs, (c - (name.startsWith("JVM start") ? 0 : cpu))
                / 1_000_000);
        wall = System.nanoTime();
        cpu = OS.getProcessCpuTime();
    }

    /** Starts the next stage's clock now (what happened in between is not a stage of its own). */
    private static void mark() {
        wall = System.nanoTime();
        cpu = OS.getProcessCpuTime();
    }
}
