package dev.attributerelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.EventLog;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.chartmogul.Transport;
import dev.attributerelay.inbound.Headers;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.inbound.Payloads;
import dev.attributerelay.lambda.ApiGatewayHandler;
import dev.attributerelay.mapping.ConfigException;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Mapper;
import dev.attributerelay.mapping.MappingResult;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.Fixtures;
import dev.attributerelay.verify.Verdict;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Warm cost per event of the pipeline's pure stages, no network: verify (the integration's signature scheme over
 * the raw body), parse, map and validate (rules, JSONata, type coercion), exactly as {@code Relay} runs them.
 *
 * <ul>
 *   <li>{@code stripeCustomerUpdated}: the project's own Stripe customer.updated fixture, re-signed, with the bundled Stripe
 *       preset's rules;</li>
 *   <li>{@code hubspotBatchOf100}: a HubSpot webhook batch, a JSON array of 100 property changes, mapped with
 *       {@code each:} (the rule is below), signed with HubSpot's v3 scheme;</li>
 *   <li>{@code paddleSubscriptionUpdated}: the recorded Paddle Billing subscription.updated, signed with Paddle's
 *       scheme, with the bundled Paddle preset's rules;</li>
 *   <li>{@code stripeThroughHandler}: the whole function for one Stripe event, from the API Gateway event's bytes to
 *       the answer, with ChartMogul answering instantly in-process and the customer cached: what a warm invocation
 *       costs besides the network.</li>
 * </ul>
 * A scheme this build does not implement yet is benchmarked without its verification (parse, map, validate);
 * the setup says so on standard error.
 *
 * <p>Forks run with the JVM flags Lambda's Java runtime uses (C1 only, serial GC). Run with
 * {@code bench/run jmh PipelineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"})
public class PipelineBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_bench_0123456789abcdef0123456789abcdef";
    private static final String HUBSPOT_URL = "https://hooks.example.com/webhooks/hubspot";
    /** Signed at, and verified as of, this instant: no tolerance ever runs out during a run. */
    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

    static final String HUBSPOT_RULES = """
            integrations:
              hubspot:
                source: hubspot
                verify: { scheme: hubspot-v3, secret: hubspot_client_secret, public_url: "%s" }
                event: { id: "$string($[0].eventId)", type: "$[0].subscriptionType", time: "$[0].occurredAt" }
                events:
                  - name: contact-property-changes
                    when: "$count($[subscriptionType = 'contact.propertyChange']) > 0"
                    each: "$[subscriptionType = 'contact.propertyChange']"
                    customer: { external_id: "$string(objectId)" }
                    attributes:
                      lifecycle_stage: { type: String,    value: "propertyName = 'lifecyclestage' ? propertyValue" }
                      hubspot_score:   { type: Integer,   value: "propertyName = 'hubspotscore' ? propertyValue" }
                      last_change:     { type: Timestamp, value: occurredAt }
            """.formatted(HUBSPOT_URL);


    private Scenario stripe;
    private Scenario hubspot;
    private Scenario paddle;
    private ApiGatewayHandler handler;
    private byte[] stripeEvent;

    /** One integration, one delivery, and the secrets its scheme checks against. */
    record Scenario(Integration integration, Inbound inbound, List<String> secrets, boolean verifies) {
        MappingResult run() {
            if (verifies) {
                Verdict v = integration.verifier().verify(inbound, secrets, NOW);
                if (!(v instanceof Verdict.Verified)) {
                    throw new IllegalStateException(integration.name() + ": " + v);
                }
            }
            Object payload = Payloads.parse(inbound.body(), inbound.headers().first("Content-Type"));
            return Mapper.map(integration, payload, inbound.headers(), inbound.requestId(), inbound.receivedAt());
        }
    }

    @Setup
    public void setUp() throws IOException {
        String stripeBody = stripeBody();
        RelayConfig bundled = ConfigLoader.loadBundled();
        stripe = new Scenario(bundled.integration("stripe"), inbound("stripe", stripeBody, Map.of("Content-Type",
                "application/json", "Stripe-Signature", Events.stripeSignature(SECRET, NOW.getEpochSecond(), stripeBody))),
                List.of(SECRET), true);

        String batch = hubspotBatch(100);
        String ts = Long.toString(NOW.toEpochMilli());
        String v3 = Base64.getEncoder().encodeToString(Events.hmac(SECRET.getBytes(StandardCharsets.UTF_8),
                ("POST" + HUBSPOT_URL + batch + ts).getBytes(StandardCharsets.UTF_8)));
        hubspot = scenario("hubspot", HUBSPOT_RULES, batch, Map.of("Content-Type", "application/json",
                "X-HubSpot-Signature-v3", v3, "X-HubSpot-Request-Timestamp", ts, "X-HubSpot-Signature-Version", "v3"));

        String paddleBody = JSON.writeValueAsString(
                Fixtures.ownJson("paddle/subscription.updated.json"));
        String pts = Long.toString(NOW.getEpochSecond());
        String h1 = HexFormat.of().formatHex(Events.hmac(SECRET.getBytes(StandardCharsets.UTF_8),
                (pts + ":" + paddleBody).getBytes(StandardCharsets.UTF_8)));
        paddle = new Scenario(bundled.integration("paddle"), inbound("paddle", paddleBody, Map.of("Content-Type",
                "application/json", "Paddle-Signature", "ts=" + pts + ";h1=" + h1)), List.of(SECRET), true);

        for (Scenario s : List.of(stripe, hubspot, paddle)) {
            MappingResult r = s.run();
            if (!r.problems().isEmpty() || r.updates().isEmpty()) {
                throw new IllegalStateException(s.integration().name() + " maps to " + r);
            }
        }
        if (hubspot.run().updates().size() != 100) {
            throw new IllegalStateException("the HubSpot batch should give 100 updates");
        }

        handler = new ApiGatewayHandler(Wiring.relay(bundled, new LocalSecretSource("{\"chartmogul_api_key\":\"k\","
                + "\"stripe_signing_secret\":\"" + SECRET + "\"}", "bench"), instantChartMogul(),
                URI.create("https://api.chartmogul.com"), Clock.fixed(NOW, ZoneOffset.UTC),
                new EventLog(new PrintStream(OutputStream.nullOutputStream())), RetryPolicy.standard()),
                Clock.fixed(NOW, ZoneOffset.UTC));
        stripeEvent = Events.post("/webhooks/stripe", stripeBody).header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(SECRET, NOW.getEpochSecond(), stripeBody))
                .receivedAt(NOW).httpApi().getBytes(StandardCharsets.UTF_8);
        String answer = stripeThroughHandler();
        if (!answer.contains("\\\"applied\\\"")) {
            throw new IllegalStateException("the handler answered " + answer);
        }
    }

    @Benchmark
    public MappingResult stripeCustomerUpdated() {
        return stripe.run();
    }

    @Benchmark
    public MappingResult hubspotBatchOf100() {
        return hubspot.run();
    }

    @Benchmark
    public MappingResult paddleSubscriptionUpdated() {
        return paddle.run();
    }

    @Benchmark
    public String stripeThroughHandler() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        handler.handleRequest(new ByteArrayInputStream(stripeEvent), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** For a quick check without JMH: runs each once and prints the results. */
    public static void main(String[] args) throws IOException {
        PipelineBenchmark b = new PipelineBenchmark();
        b.setUp();
        Blackhole.consumeCPU(1);
        System.out.println(b.stripeCustomerUpdated());
        System.out.println(b.hubspotBatchOf100().updates().size() + " HubSpot updates");
        System.out.println(b.paddleSubscriptionUpdated());
        System.out.println(b.stripeThroughHandler());
    }

    // --- inputs -----------------------------------------------------------------------------------------------

    /** The integration from {@code rules}; when this build lacks its scheme, the same rules without verification. */
    private static Scenario scenario(String name, String rules, String body, Map<String, String> headers) {
        RelayConfig config;
        boolean verifies = true;
        try {
            config = ConfigLoader.parse(name + ".yaml", rules);
        } catch (ConfigException e) {
            if (!e.getMessage().contains("not implemented")) {
                throw e;
            }
            System.err.println("[bench] " + name + ": this build has no '" + name + "' signature scheme yet ("
                    + e.getMessage() + "); measuring parse + map + validate only");
            config = ConfigLoader.parse(name + ".yaml", rules.replaceFirst("verify: \\{[^}]*}",
                    "verify: { scheme: none, allow_unsigned: true }"));
            verifies = false;
        }
        return new Scenario(config.integration(name), inbound(name, body, headers), List.of(SECRET), verifies);
    }

    private static Inbound inbound(String integration, String body, Map<String, String> headers) {
        return new Inbound(integration, "POST", "/webhooks/" + integration, Map.of(), Headers.builder().addAll(headers)
                .build(), body.getBytes(StandardCharsets.UTF_8), NOW, "bench-request");
    }

    /** The project's own customer.updated fixture with plan, seats and channel in its metadata, as the README's sample has. */
    static String stripeBody() throws IOException {
        JsonNode fixture = Fixtures.ownJson("stripe/customer.updated.json").deepCopy();
        ((ObjectNode) fixture.at("/data/object")).putObject("metadata").put("plan", "pro").put("seats", "12")
                .put("acquisition_channel", "partner");
        return JSON.writeValueAsString(fixture);
    }

    /** HubSpot's webhook batch: a JSON array of events, here contact property changes for distinct contacts. */
    static String hubspotBatch(int n) throws IOException {
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            ObjectNode e = batch.addObject();
            e.put("eventId", 1_000_000L + i);
            e.put("subscriptionId", 2_345_678);
            e.put("portalId", 27_145_807);
            e.put("appId", 1_234_567);
            e.put("occurredAt", NOW.toEpochMilli() - 1_000L * (n - i));
            e.put("subscriptionType", "contact.propertyChange");
            e.put("attemptNumber", 0);
            e.put("objectId", 7_298_894_000L + i);
            e.put("changeSource", "CRM_UI");
            boolean stage = i % 2 == 0;
            e.put("propertyName", stage ? "lifecyclestage" : "hubspotscore");
            e.put("propertyValue", stage ? "customer" : Integer.toString(40 + i % 50));
        }
        return JSON.writeValueAsString(batch);
    }

    /** ChartMogul answering in-process: the customer lookup and every PUT succeed at once. */
    private static Transport instantChartMogul() {
        Transport.Response found = new Transport.Response(200, Map.of("content-type", "application/json"),
                "{\"entries\":[{\"uuid\":\"cus_00000000-0000-4000-8000-000000000001\"}],\"has_more\":false}");
        Transport.Response ok = new Transport.Response(200, Map.of("content-type", "application/json"), "{\"custom\":{}}");
        return (request, timeout) -> request.method().equals("GET") ? found : ok;
    }
}
