package dev.attributerelay.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.EventLog;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.lambda.ApiGatewayHandler;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.LocalDynamo;
import dev.attributerelay.testing.QueueHarness;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Relay containers as Lambda runs them: each its own relay (caches, limiter, clients), all on one ChartMogul and one
 * state table, built from the environment map a deployed function would have.
 */
final class Containers {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRETS = "{\"chartmogul_api_key\":\"" + QueueHarness.API_KEY + "\",\"signing_secret\":\""
            + QueueHarness.SIGNING_SECRET + "\"}";

    private Containers() {
    }

    static Relay relay(FakeChartMogul cm, LocalDynamo dynamo, String table, String relayYaml, ByteArrayOutputStream log) {
        return new Wiring.Parts(ConfigLoader.parse("relay.yaml", relayYaml), new LocalSecretSource(SECRETS, "test"),
                Wiring.transportFor(cm.url()), cm.url(), Clock.systemUTC(),
                new EventLog(new PrintStream(log, true, StandardCharsets.UTF_8)), RelayHarness.fastRetries(),
                RateLimiter.unlimited(), null, Wiring.stateStore(dynamo.env(table))).relay();
    }

    /** One webhook through the container's API handler, with {@code budgetMillis} of Lambda time. */
    static RelayHarness.Reply deliver(Relay relay, String event, long budgetMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ApiGatewayHandler(relay, Clock.systemUTC()).handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new TestContext(budgetMillis));
            return new RelayHarness.Reply(JSON.readTree(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
