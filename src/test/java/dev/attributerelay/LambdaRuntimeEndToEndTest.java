package dev.attributerelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.FakeLambdaRuntime;
import dev.attributerelay.testing.TestSupport;
import dev.attributerelay.testing.FakeSecretsManager;
import dev.attributerelay.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handlers as Lambda runs them: the real runtime interface client in its own JVM, polling a loopback
 * Runtime API, reading its secret from a loopback Secrets Manager through the real AWS SDK, and calling a
 * loopback ChartMogul. The API container starts once, as Lambda's would, and receives several events in turn;
 * an EventBridge container and one with a broken relay.yaml start beside it. Nothing is packaged: the child
 * JVM runs on the test class path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LambdaRuntimeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_HANDLER = "dev.attributerelay.lambda.ApiGatewayHandler::handleRequest";
    private static final String EVENTBRIDGE_HANDLER = "dev.attributerelay.lambda.EventBridgeHandler::handleRequest";
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final Duration START_AND_ANSWER = Duration.ofSeconds(25);
    private static final Duration ANSWER = Duration.ofSeconds(10);

    private static final String SECRET_ID = "attribute-relay/chartmogul";
    private static final String API_KEY = "cm_live_e2e_5b1f0c9a7d3e42f8";
    private static final String SIGNING_SECRET = "whsec_e2e_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    private static final String DATA_SOURCE = "ds_5f2b1a9c-0d3e-4f7a-8b6c-1e2d3c4b5a69";
    private static final String OTHER_DATA_SOURCE = "ds_0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";
    private static final String RIGHT_UUID = "cus_7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    private static final String OTHER_UUID = "cus_1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

    private FakeChartMogul chartMogul;
    private FakeSecretsManager secretsManager;
    private Container api;
    private Path config;
    private String body;
    private String externalId;
    private String eventId;
    /** Every Stripe-Signature value sent, so the output can be searched for each. */
    private final List<String> signatures = new ArrayList<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    void startContainer() throws Exception {
        // the runtime interface client ships its native Runtime API client for Linux (glibc and musl) only
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        assumeTrue(os.contains("linux") && List.of("amd64", "x86_64", "aarch64").contains(arch),
                "the Lambda runtime interface client runs on Linux x86_64/aarch64 only, not " + os + " " + arch);
        JsonNode fixture = Fixtures.ownJson("stripe/customer.updated.json");
        // plan and seats are set by the tests that need them
        ((ObjectNode) fixture.at("/data/object")).putObject("metadata");
        body = JSON.writeValueAsString(fixture);
        externalId = fixture.at("/data/object/id").asText();
        eventId = fixture.get("id").asText();

        chartMogul = new FakeChartMogul().acceptKey(API_KEY)
                // the same Stripe customer id in two data sources: only the configured one may be updated
                .customer(OTHER_UUID, externalId, OTHER_DATA_SOURCE, "ada@example.org")
                .customer(RIGHT_UUID, externalId, DATA_SOURCE, "ada@example.org")
                .defined("country", "String").defined("delinquent", "Boolean").defined("next_invoice", "Integer")
                .defined("balance", "Decimal").defined("customer_since", "Timestamp").defined("plan", "String");
        secretsManager = new FakeSecretsManager().put(SECRET_ID, JSON.writeValueAsString(Map.of(
                "chartmogul_api_key", API_KEY, "stripe_signing_secret", SIGNING_SECRET)));
        config = Files.writeString(tmp.resolve("relay.yaml"), relayYaml("Integer"));
        api = start(API_HANDLER, config, "api");
    }

    @AfterAll
    void stopContainer() {
        close(api);
        close(secretsManager);
        close(chartMogul);
    }

    @Test
    @Order(1)
    void signedStripeEventUpdatesTheCustomerInTheConfiguredDataSource() throws Exception {
        FakeLambdaRuntime.Result result = api.result(signed(Instant.now()).httpApi(), START_AND_ANSWER);
        assertThat(result.kind()).as(result.body()).isEqualTo(FakeLambdaRuntime.Kind.RESPONSE);
        JsonNode reply = JSON.readTree(result.body());

        assertThat(reply.get("statusCode").asInt()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.at("/headers/Content-Type").asText()).isEqualTo("application/json");
        assertThat(JSON.readTree(reply.get("body").asText()).get("status").asText()).isEqualTo("applied");

        List<FakeChartMogul.Recorded> gets = chartMogul.requests("GET");
        assertThat(gets).hasSize(1);
        assertThat(gets.get(0).path()).isEqualTo("/v1/customers");
        assertThat(gets.get(0).query()).containsEntry("external_id", externalId)
                .containsEntry("data_source_uuid", DATA_SOURCE);
        List<FakeChartMogul.Recorded> puts = chartMogul.requests("PUT");
        assertThat(puts).hasSize(1);
        FakeChartMogul.Recorded put = puts.get(0);
        assertThat(put.path()).isEqualTo("/v1/customers/" + RIGHT_UUID + "/attributes/custom");
        assertThat(put.apiKey()).isEqualTo(API_KEY);
        assertThat(put.contentType()).startsWith("application/json");
        assertThat(chartMogul.requests()).allSatisfy(r -> assertThat(r.apiKey()).isEqualTo(API_KEY));
        assertThat(put.json()).isEqualTo(JSON.readTree("""
                {"custom": {
                  "country":        {"value": "DE", "source": "stripe"},
                  "delinquent":     {"value": false, "source": "stripe"},
                  "next_invoice":   {"value": 3, "source": "stripe"},
                  "balance":        {"value": 0, "source": "stripe"},
                  "customer_since": {"value": "2024-03-01T09:30:00.000Z", "source": "stripe"}
                }}"""));
        assertThat(chartMogul.attributesOf(OTHER_UUID)).isEmpty();
        assertThat(secretsManager.reads()).isEqualTo(1);

        JsonNode line = logLineFor(api, eventId, 1);
        assertThat(line.get("integration").asText()).isEqualTo("stripe");
        assertThat(line.get("event_type").asText()).isEqualTo("customer.updated");
        assertThat(line.get("outcome").asText()).isEqualTo("applied");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("chartmogul_calls").asInt()).isEqualTo(2);
        assertThat(line.get("duration_ms").isNumber()).isTrue();
        assertThat(line.path("lambda_request_id").asText()).as("the Lambda request id ties the line to the invocation")
                .isEqualTo(result.requestId());
        // named by its keyed pseudonym, never the external id itself
        assertThat(line.get("customer").asText()).matches("external_id:(ds_[^/]+/)?h:[0-9a-f]{16}");
        assertThat(line.toString()).doesNotContain(externalId);
        List<String> keys = new ArrayList<>();
        line.get("attributes").forEach(k -> keys.add(k.asText()));
        assertThat(keys).containsExactlyInAnyOrder("country", "delinquent", "next_invoice", "balance",
                "customer_since");
    }

    @Test
    @Order(2)
    void wrongSignatureIsUnauthorizedAndCallsNothing() throws Exception {
        int before = chartMogul.requests().size();
        String forged = Events.stripeSignature("whsec_not_the_secret", Instant.now().getEpochSecond(), body);
        signatures.add(forged);
        JsonNode reply = api.invoke(Events.post("/webhooks/stripe", body).header("Content-Type", "application/json")
                .header("Stripe-Signature", forged).httpApi(), ANSWER);

        assertRejected(reply, 401, "unauthorized");
        assertThat(reply.toString()).doesNotContain(forged.substring(forged.indexOf("v1=") + 3));
        assertThat(chartMogul.requests()).hasSize(before);
    }

    @Test
    @Order(3)
    void timestampTenMinutesOldIsUnauthorized() throws Exception {
        int before = chartMogul.requests().size();
        JsonNode reply = api.invoke(signed(Instant.now().minus(Duration.ofMinutes(10))).httpApi(), ANSWER);

        assertRejected(reply, 401, "unauthorized");
        assertThat(chartMogul.requests()).hasSize(before);
    }

    @Test
    @Order(4)
    void unknownIntegrationIsNotFound() throws Exception {
        JsonNode reply = api.invoke(Events.post("/webhooks/paddle", body).header("Content-Type", "application/json")
                .httpApi(), ANSWER);

        assertRejected(reply, 404, "unknown_integration");
    }

    @Test
    @Order(5)
    void restApiEventIsApplied() throws Exception {
        int puts = chartMogul.requests("PUT").size();
        String event = Events.post("/webhooks/stripe", body).header("Content-Type", "application/json")
                .header("Stripe-Signature", sign(Instant.now())).restApi();
        JsonNode reply = api.invoke(event, ANSWER);

        assertApplied(reply);
        assertThat(chartMogul.requests("PUT")).hasSize(puts + 1);
        assertThat(last(chartMogul.requests("PUT")).path()).isEqualTo("/v1/customers/" + RIGHT_UUID
                + "/attributes/custom");
    }

    @Test
    @Order(6)
    void functionUrlEventIsApplied() throws Exception {
        int puts = chartMogul.requests("PUT").size();
        JsonNode reply = api.invoke(signed(Instant.now()).functionUrl(), ANSWER);

        assertApplied(reply);
        assertThat(chartMogul.requests("PUT")).hasSize(puts + 1);
        assertThat(last(chartMogul.requests("PUT")).path()).isEqualTo("/v1/customers/" + RIGHT_UUID
                + "/attributes/custom");
    }

    @Test
    @Order(7)
    void everyEventLogsOneJsonLineAndNothingSecretReachesTheOutput() throws Exception {
        // six events so far: applied ×3 (customer.updated), 401 ×2, 404 ×1
        List<JsonNode> lines = waitForEventLines(api, 6);
        assertThat(lines).hasSize(6);
        for (JsonNode line : lines) {
            assertThat(line.has("level")).isTrue();
            assertThat(line.has("message")).isTrue();
            for (String field : List.of("integration", "event_id", "event_type", "customer", "attributes", "outcome",
                    "status", "chartmogul_calls", "duration_ms", "lambda_request_id")) {
                assertThat(line.has(field)).as("field %s in %s", field, line).isTrue();
            }
        }
        assertThat(lines).filteredOn(l -> l.get("status").asInt() == 200).hasSize(3)
                .allSatisfy(l -> assertThat(l.get("event_id").asText()).isEqualTo(eventId));
        assertThat(lines).filteredOn(l -> l.get("status").asInt() == 401).hasSize(2);
        assertThat(lines).filteredOn(l -> l.get("status").asInt() == 404).hasSize(1);

        String all = api.output();
        assertThat(all).doesNotContain(API_KEY).doesNotContain(SIGNING_SECRET).doesNotContain(body)
                .doesNotContain("ada@example.org");
        for (String signature : signatures) {
            assertThat(all).doesNotContain(signature);
            assertThat(all).doesNotContain(signature.substring(signature.indexOf("v1=") + 3));
        }
        assertThat(api.runtime.unexpectedRequests()).isEmpty();
        assertThat(api.runtime.initErrorNow()).isNull();
        assertThat(api.process.isAlive()).as("the container keeps polling for events").isTrue();
    }

    @Test
    @Order(8)
    void eventBridgeStripeEventIsAppliedAndOneThatMayPassFailsTheInvocation() throws Exception {
        try (Container eventBridge = start(EVENTBRIDGE_HANDLER, config, "eventbridge")) {
            int puts = chartMogul.requests("PUT").size();
            JsonNode applied = eventBridge.invoke(Events.eventBridge("aws.partner/stripe.com/ed_test_e2e",
                    "customer.updated", body), START_AND_ANSWER);
            assertThat(applied.get("status").asInt()).as(applied.toString()).isEqualTo(200);
            assertThat(chartMogul.requests("PUT")).hasSize(puts + 1);
            assertThat(last(chartMogul.requests("PUT")).path()).isEqualTo("/v1/customers/" + RIGHT_UUID
                    + "/attributes/custom");

            // a customer ChartMogul does not know yet, with on_unknown_customer: retry: the invocation fails,
            // so Lambda's asynchronous retries (and the rule's dead-letter queue) keep the event
            String notYetImported = body.replace(externalId, "cus_NotInChartMogulYet");
            FakeLambdaRuntime.Result failed = eventBridge.result(Events.eventBridge(
                    "aws.partner/stripe.com/ed_test_e2e", "customer.updated", notYetImported), ANSWER);
            assertThat(failed.kind()).as(failed.body()).isEqualTo(FakeLambdaRuntime.Kind.ERROR);
            assertThat(failed.errorType()).isNotBlank();
            assertThat(JSON.readTree(failed.body()).get("errorMessage").asText()).isNotBlank();
            assertThat(chartMogul.requests("PUT")).hasSize(puts + 1);
            assertThat(eventBridge.process.isAlive()).as("a failed invocation does not end the container").isTrue();
            assertThat(eventBridge.runtime.unexpectedRequests()).isEmpty();

            List<JsonNode> lines = waitForEventLines(eventBridge, 2);
            assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l.get("via").asText()).isEqualTo("eventbridge"));
            assertThat(lines.get(1).get("status").asInt()).isEqualTo(503);
            assertThat(eventBridge.output()).doesNotContain(API_KEY).doesNotContain(SIGNING_SECRET)
                    .doesNotContain("ada@example.org");
        }
    }

    @Test
    @Order(9)
    void brokenRelayYamlFailsInitNamingFileIntegrationRuleAndField() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken-relay.yaml"), relayYaml("Number"));
        int callsBefore = chartMogul.requests().size();
        int readsBefore = secretsManager.reads();
        try (Container container = start(API_HANDLER, broken, "broken")) {
            container.runtime.enqueue(signed(Instant.now()).httpApi(), Duration.ofSeconds(30));
            FakeLambdaRuntime.Result initError;
            try {
                initError = container.runtime.awaitInitError(START_AND_ANSWER, container.process::isAlive);
            } catch (TimeoutException e) {
                throw new AssertionError(e.getMessage() + "; container output:\n" + container.output(), e);
            }

            // what Lambda shows the caller and the console: the message itself, not the name of a wrapper
            JsonNode error = JSON.readTree(initError.body());
            assertThat(error.get("errorMessage").asText()).contains(broken.toString())
                    .contains("integration 'stripe'").contains("rule events[0]")
                    .contains("field attributes.seats.type").contains("'Number'");
            assertThat(error.get("errorType").asText()).endsWith("ConfigException");
            assertThat(initError.errorType()).isNotBlank();
            assertThat(container.process.waitFor(10, TimeUnit.SECONDS)).as("the runtime exits after a failed init")
                    .isTrue();
            assertThat(container.process.exitValue()).isNotZero();
            assertThat(container.output()).contains("attributes.seats.type");
            assertThat(chartMogul.requests()).hasSize(callsBefore);
            assertThat(secretsManager.reads()).as("nothing is read before the config is valid").isEqualTo(readsBefore);
        }
    }

    // --- the container ---------------------------------------------------------------------------------------

    /**
     * Starts a JVM as Lambda's java21 runtime does: the runtime interface client as main class, the handler as
     * its argument, and only the environment Lambda and the template would set.
     */
    private Container start(String handler, Path relayYaml, String name) throws IOException {
        FakeLambdaRuntime runtime = new FakeLambdaRuntime();
        Path log = tmp.resolve(name + "-container.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire may hand the test JVM a manifest-only jar; its real class path is in this property
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", classpath, RIC_MAIN, handler);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "attribute-relay");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/attribute-relay");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2024/01/01/[$LATEST]e2e");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("_HANDLER", handler);
        env.put("TZ", ":UTC");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("LAMBDA_TASK_ROOT", tmp.toString());
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_CONFIG_FILE", tmp.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-aws-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.url().toString());
        env.put("CHARTMOGUL_SECRET_ID", SECRET_ID);
        env.put("CHARTMOGUL_API_URL", chartMogul.url().toString());
        env.put("RELAY_CONFIG", relayYaml.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.directory(tmp.toFile());
        try {
            return new Container(name, runtime, pb.start(), log);
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** One execution environment: the runtime process, the Runtime API it polls, and its output. */
    private static final class Container implements AutoCloseable {
        final String name;
        final FakeLambdaRuntime runtime;
        final Process process;
        final Path log;

        Container(String name, FakeLambdaRuntime runtime, Process process, Path log) {
            this.name = name;
            this.runtime = runtime;
            this.process = process;
            this.log = log;
        }

        /** Invokes and expects the handler to answer (not fail); returns the answer's JSON. */
        JsonNode invoke(String event, Duration timeout) throws IOException {
            FakeLambdaRuntime.Result result = result(event, timeout);
            assertThat(result.kind()).as("the handler answered, not failed: %s", result.body())
                    .isEqualTo(FakeLambdaRuntime.Kind.RESPONSE);
            return JSON.readTree(result.body());
        }

        /** Invokes and returns what the runtime posted: a response or an invocation error. */
        FakeLambdaRuntime.Result result(String event, Duration timeout) {
            String requestId = runtime.enqueue(event, Duration.ofSeconds(30));
            try {
                return runtime.await(requestId, timeout, process::isAlive);
            } catch (TimeoutException e) {
                throw new AssertionError(e.getMessage() + "; container output:\n" + output(), e);
            }
        }

        /** Everything the runtime process wrote to stdout and stderr so far. */
        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        @Override
        public void close() {
            try {
                TestSupport.stop(process, 5);
            } finally {
                runtime.close();
                keepLog();
            }
        }

        /** The output outlives the temporary directory, for reading when a test fails. */
        private void keepLog() {
            try {
                Path target = Path.of("target", "lambda-runtime-e2e");
                Files.createDirectories(target);
                Files.copy(log, target.resolve(name + "-container.log"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // only a convenience
            }
        }
    }

    // --- events ----------------------------------------------------------------------------------------------

    private Events.Request signed(Instant at) {
        return Events.post("/webhooks/stripe", body).header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", sign(at));
    }

    private String sign(Instant at) {
        String signature = Events.stripeSignature(SIGNING_SECRET, at.getEpochSecond(), body);
        signatures.add(signature);
        return signature;
    }

    /** relay.yaml as DESIGN §4 writes it, with {@code seats} of the given type (a wrong one breaks init). */
    private static String relayYaml(String seatsType) {
        return """
                integrations:
                  stripe:
                    source: stripe
                    verify:
                      scheme: stripe
                      secret: stripe_signing_secret
                      tolerance_seconds: 300
                    eventbridge_source: aws.partner/stripe.com
                    create_missing_attributes: false
                    on_unknown_customer: retry
                    # each payload format carries the same event: every one must reach ChartMogul
                    skip_unchanged: false
                    events:
                      - when: type in ["customer.created", "customer.updated"]
                        customer:
                          external_id: data.object.id
                          data_source_uuid: %s
                        attributes:
                          country:        { type: String,    value: data.object.address.country }
                          delinquent:     { type: Boolean,   value: data.object.delinquent }
                          next_invoice:   { type: Integer,   value: $string(data.object.next_invoice_sequence) }
                          balance:        { type: Decimal,   value: data.object.balance / 100 }
                          customer_since: { type: Timestamp, value: data.object.created }
                          plan:           { type: String,    value: data.object.metadata.plan }
                          seats:          { type: %s,    value: data.object.metadata.seats }
                """.formatted(DATA_SOURCE, seatsType);
    }

    // --- assertions ------------------------------------------------------------------------------------------

    private static void assertApplied(JsonNode reply) throws IOException {
        assertThat(reply.get("statusCode").asInt()).as(reply.toString()).isEqualTo(200);
        assertThat(JSON.readTree(reply.get("body").asText()).get("status").asText()).isEqualTo("applied");
    }

    private static void assertRejected(JsonNode reply, int status, String code) throws IOException {
        assertThat(reply.get("statusCode").asInt()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.at("/headers/Content-Type").asText()).isEqualTo("application/json");
        JsonNode b = JSON.readTree(reply.get("body").asText());
        assertThat(b.get("error").asText()).isEqualTo(code);
        assertThat(b.get("message").asText()).isNotBlank();
    }

    /** The event log lines (JSON objects with an {@code outcome}), waiting briefly for at least {@code n}. */
    private static List<JsonNode> waitForEventLines(Container c, int n) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<JsonNode> lines = eventLines(c);
        while (lines.size() < n && System.nanoTime() < end) {
            Thread.sleep(50);
            lines = eventLines(c);
        }
        return lines;
    }

    private static JsonNode logLineFor(Container c, String id, int n) throws Exception {
        List<JsonNode> lines = waitForEventLines(c, n);
        return lines.stream().filter(l -> id.equals(l.path("event_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no log line for event " + id + " in:\n" + c.output()));
    }

    private static List<JsonNode> eventLines(Container c) {
        List<JsonNode> out = new ArrayList<>();
        for (String raw : c.output().split("\n")) {
            String line = raw.trim();
            int brace = line.indexOf('{');
            if (brace < 0) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line.substring(brace));
                if (n.isObject() && n.has("outcome")) {
                    out.add(n);
                }
            } catch (IOException e) {
                // not a JSON line (the runtime's own output)
            }
        }
        return out;
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static void close(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // best effort: the servers are loopback and die with the test JVM anyway
        }
    }
}
