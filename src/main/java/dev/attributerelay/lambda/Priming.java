package dev.attributerelay.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.aws.AwsJsonClient;
import dev.attributerelay.aws.AwsService;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.Expression;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.mapping.Rule;
import dev.attributerelay.mapping.TypedValue;
import dev.attributerelay.secrets.RelaySecrets;
import dev.attributerelay.secrets.SecretsManagerSource;
import dev.attributerelay.state.DynamoDbStore;
import dev.attributerelay.state.StateStore;
import dev.attributerelay.verify.SignatureScheme;
import dev.attributerelay.verify.Verdict;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * SnapStart priming. Registered only when Lambda initializes a function to snapshot it
 * ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}); its {@code beforeCheckpoint} runs the whole pipeline, through
 * the function's own entry point, on a synthetic event for every configured integration, so the snapshot holds
 * loaded classes, warmed JSONata, Jackson, AWS SDK and HTTP client code (the state table's client too, when
 * RELAY_STATE_TABLE is set), and a loaded TLS trust store.
 *
 * <p>Nothing of it reaches Secrets Manager or ChartMogul, and nothing unique is left in the snapshot:
 * <ul>
 *   <li>it runs on a relay of its own (its own secret cache, customer cache, applied memory and counters), wired
 *       to a loopback endpoint in this JVM ({@link PrimingEndpoint}) that answers GetSecretValue with the names
 *       relay.yaml uses and a placeholder value, and ChartMogul calls with a placeholder customer. That relay,
 *       its SDK client and the endpoint are gone before the snapshot; the function's relay has read nothing;</li>
 *   <li>synthetic events carry fixed ids, no random value is drawn for them, and retries (whose jitter is random)
 *       are off;</li>
 *   <li>the TLS warm-up builds a ClientHello and drops the engine: no session is cached.</li>
 * </ul>
 * A failing step is logged and skipped: priming only makes the first request faster, it never fails a snapshot.
 */
public final class Priming implements Resource {
    /** The value every secret has during priming: a placeholder, so the snapshot holds no secret. */
    static final String PLACEHOLDER = "snapstart-priming-placeholder";
    private static final String PAYLOAD = "{\"id\":\"evt_priming\",\"type\":\"priming\",\"created\":1700000000,"
            + "\"data\":{\"object\":{\"id\":\"priming\",\"email\":\"priming@example.invalid\",\"metadata\":{}}}}";

    private final Relay relay;
    private final Map<String, String> env;
    private final EntryPoint entryPoint;

    /** How a handler feeds a synthetic payload for one integration through its own entry point. */
    interface EntryPoint {
        void feed(Relay primingRelay, Integration integration, String payload);
    }

    Priming(Relay relay, Map<String, String> env, EntryPoint entryPoint) {
        this.relay = relay;
        this.env = env;
        this.entryPoint = entryPoint;
    }

    /**
     * Registers the hook when this init is SnapStart's; otherwise does nothing and loads nothing of CRaC. The
     * caller keeps the returned object: the runtime holds its hooks weakly.
     */
    static Object registerIfSnapStart(Map<String, String> env, Relay relay, EntryPoint entryPoint) {
        if (!Wiring.isSnapStart(env)) {
            return null;
        }
        Priming p = new Priming(relay, env, entryPoint);
        Core.getGlobalContext().register(p);
        return p;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to undo: the function's relay read no secret and cached nothing before the snapshot. The secret
        // (and with it the role's credentials) is read now, beside the runtime's wait for the first event, as an
        // on-demand init reads it beside relay.yaml; not waited for: the first request reads again if this failed,
        // and answers for it
        Thread read = new Thread(() -> {
            try {
                relay.secrets().get();
            } catch (RuntimeException e) {
                // see above
            }
        }, "restore-prefetch");
        read.setDaemon(true);
        read.start();
    }

    /** Runs the priming; returns how many steps failed (each is logged). */
    int prime() {
        long started = System.nanoTime();
        int steps = 0;
        List<String> failed = new ArrayList<>();
        RelayConfig config = primingConfig(relay.config());
        int stateCalls = -1;
        try (PrimingEndpoint endpoint = new PrimingEndpoint(secretJson(relay.config()));
             SecretsManagerClient sdk = SecretsManagerSource.client(region(),
                     StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")),
                     endpoint.uri())) {
            Relay priming = Wiring.forPriming(config, new SecretsManagerSource(sdk, "priming"), endpoint.uri(),
                    stateTable(endpoint.uri()));
            for (Integration i : config.integrations().values()) {
                steps += 2;
                run("entry point, " + i.name(), () -> entryPoint.feed(priming, i, PAYLOAD), failed);
                run("delivery, " + i.name(), () -> priming.delivery().deliver(i, update(i),
                        Deadline.in(Duration.ofSeconds(10), Clock.systemUTC())), failed);
            }
            stateCalls = endpoint.stateCalls();
        } catch (Exception e) {
            failed.add("loopback endpoint (" + e.getClass().getSimpleName() + ")");
        }
        steps++;
        // expressions the build had compiled are compiled on first use: in the snapshot, not after the restore
        run("JSONata", () -> relay.config().integrations().values()
                .forEach(i -> i.expressions().forEach(Expression::prepare)), failed);
        steps++;
        run("TLS ClientHello", Priming::tlsClientHello, failed);
        long ms = (System.nanoTime() - started) / 1_000_000;
        relay.log().note(failed.isEmpty() ? "INFO" : "WARN", "SnapStart priming: " + steps + " steps in " + ms + " ms"
                + (stateCalls > 0 ? ", " + stateCalls + " state table calls" : "")
                + (failed.isEmpty() ? "" : "; failed (skipped): " + String.join(", ", failed)));
        return failed.size();
    }

    /**
     * With RELAY_STATE_TABLE set, the state table's client (signing, HTTP, its JSON) at the loopback endpoint, with
     * made-up credentials and one try (no jitter drawn); else null, state in the priming relay's memory.
     */
    private StateStore stateTable(URI endpoint) {
        String table = env.get("RELAY_STATE_TABLE");
        if (table == null || table.isBlank()) {
            return null;
        }
        return new DynamoDbStore(() -> new AwsJsonClient(AwsService.DYNAMODB, endpoint, region().id(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")),
                new AwsJsonClient.Limits(Duration.ofSeconds(1), Duration.ofSeconds(5), 1, Duration.ofMillis(1),
                        Duration.ofMillis(1), () -> 0)), "priming");
    }

    /** The function's region (the SDK's endpoint rules run as they will for real); any, outside Lambda. */
    private Region region() {
        Region r = Wiring.region(env);
        return r == null ? Region.US_EAST_1 : r;
    }

    private static void run(String step, ThrowingRunnable r, List<String> failed) {
        try {
            r.run();
        } catch (Exception | StackOverflowError e) {
            failed.add(step + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * The function's integrations with every verifier accepting (after running the real check, for its code) and
     * every rule also present once with {@code when: true}, so each rule's expressions run on the payload.
     */
    static RelayConfig primingConfig(RelayConfig config) {
        Expression always = Expression.compile("true");
        Map<String, Integration> out = new LinkedHashMap<>();
        config.integrations().forEach((name, i) -> {
            List<Rule> rules = new ArrayList<>(i.rules());
            for (Rule r : i.rules()) {
                rules.add(new Rule(r.name(), always, r.each(), r.customer(), r.attributes()));
            }
            out.put(name, new Integration(i.name(), i.source(), i.verify(),
                    i.verifier() == null ? null : new Accepting(i.verifier()), i.eventbridgeSource(),
                    i.createMissingAttributes(), i.onUnknownCustomer(), i.maxBodyBytes(), i.respondWithin(), i.event(),
                    rules, i.skipUnchanged()));
        });
        return new RelayConfig(config.file(), out);
    }

    /** The secret JSON the loopback endpoint serves: every name relay.yaml uses, each with the placeholder. */
    static String secretJson(RelayConfig config) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put(RelaySecrets.API_KEY, PLACEHOLDER);
        for (Integration i : config.integrations().values()) {
            if (i.verify() != null && i.verify().secretName() != null) {
                names.put(i.verify().secretName(), PLACEHOLDER);
            }
        }
        return Json.write(names);
    }

    /** One update with a value of every type, for a placeholder customer. */
    private static AttributeUpdate update(Integration i) {
        Map<String, TypedValue> values = new LinkedHashMap<>();
        Object[][] samples = {{AttributeType.String, "priming"}, {AttributeType.Integer, "12"},
                {AttributeType.Decimal, "12.50"}, {AttributeType.Timestamp, 1_700_000_000L},
                {AttributeType.Boolean, "true"}};
        for (Object[] s : samples) {
            AttributeType type = (AttributeType) s[0];
            values.put("priming_" + type.name().toLowerCase(java.util.Locale.ROOT), new TypedValue(type, type.coerce(s[1])));
        }
        return new AttributeUpdate(i.name(), new CustomerRef.ExternalId("priming", null), values, i.source(),
                "evt_priming", "priming", Instant.ofEpochSecond(1_700_000_000L), 0);
    }

    /** An HTTP API (2.0) event: POST /webhooks/{integration} with a JSON body. */
    static byte[] httpApiEvent(String integration, String payload) {
        ObjectNode e = Json.object();
        e.put("version", "2.0");
        e.put("routeKey", "POST /webhooks/{integration}");
        e.put("rawPath", "/webhooks/" + integration);
        e.put("rawQueryString", "");
        e.putObject("headers").put("content-type", "application/json");
        ObjectNode rc = e.putObject("requestContext");
        rc.put("requestId", "priming");
        rc.put("timeEpoch", System.currentTimeMillis());
        rc.putObject("http").put("method", "POST").put("path", "/webhooks/" + integration);
        e.putObject("pathParameters").put("integration", integration);
        e.put("body", payload);
        e.put("isBase64Encoded", false);
        return Json.write(e).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An EventBridge event from {@code source} with the payload as its detail. */
    static byte[] eventBridgeEvent(String source, String payload) {
        return ("{\"version\":\"0\",\"id\":\"priming\",\"detail-type\":\"priming\",\"source\":" + Json.write(source)
                + ",\"account\":\"000000000000\",\"time\":\"" + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + payload + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The client side of a TLS handshake up to its first message: loads the default trust store and the
     * handshake code without a peer. The engine is dropped, so no session is cached.
     */
    static void tlsClientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("priming.invalid", 443);
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        engine.closeOutbound();
    }

    /** Runs the real check for its code, then lets the synthetic request through. */
    private static final class Accepting implements SignatureScheme {
        private final SignatureScheme real;

        Accepting(SignatureScheme real) {
            this.real = real;
        }

        @Override
        public Verdict verify(Inbound request, List<String> secrets, Instant now) {
            real.verify(request, secrets, now);
            return Verdict.verified();
        }

        @Override
        public boolean needsSecret() {
            return real.needsSecret();
        }

        @Override
        public boolean isHandshake(Inbound request) {
            return real.isHandshake(request);
        }
    }
}
