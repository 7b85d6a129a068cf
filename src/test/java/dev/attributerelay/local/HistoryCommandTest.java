package dev.attributerelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCommandTest {
    static final String UUID = "cus_a0000000-0000-4000-8000-000000000001";
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    LocalDynamo dynamo = LocalDynamo.shared();
    FakeChartMogul cm;
    Map<String, String> env;
    @TempDir
    Path dir;

    @BeforeEach
    void applySomething() throws Exception {
        cm = new FakeChartMogul().acceptKey(QueueHarness.API_KEY).defined("plan", "String").defined("seats", "Integer")
                .customer(UUID, "cus_H", "ds_stripe", "h@example.com");
        String table = dynamo.createStateTable();
        Path config = dir.resolve("relay.yaml");
        Files.writeString(config, QueueHarness.CONFIG);
        env = new HashMap<>(dynamo.env(table));
        env.put("RELAY_CONFIG", config.toString());
        env.put("CHARTMOGUL_API_URL", cm.url().toString());
        env.put("RELAY_SECRETS", "{\"chartmogul_api_key\":\"" + QueueHarness.API_KEY + "\",\"signing_secret\":\""
                + QueueHarness.SIGNING_SECRET + "\"}");
        Relay relay = new Wiring.Parts(ConfigLoader.parse("relay.yaml", QueueHarness.CONFIG),
                new LocalSecretSource(env.get("RELAY_SECRETS"), "test"), Wiring.transportFor(cm.url()), cm.url(),
                Clock.systemUTC(), new EventLog(new PrintStream(new ByteArrayOutputStream())),
                RelayHarness.fastRetries(), RateLimiter.unlimited(), null, Wiring.stateStore(env)).relay();
        deliver(relay, QueueHarness.webhook("evt_1", T0, "cus_H", "pro", 5));
        deliver(relay, QueueHarness.webhook("evt_2", T0.plusSeconds(60), "cus_H", "pro", 7));
    }

    @AfterEach
    void stop() {
        cm.close();
    }

    static void deliver(Relay relay, String event) throws java.io.IOException {
        new ApiGatewayHandler(relay, Clock.systemUTC()).handleRequest(
                new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                new TestContext(20_000));
    }

    Result history(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "history";
        System.arraycopy(args, 0, all, 1, args.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(all, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int code, String out, String err) {
    }

    @Test
    void aTableForAPersonSaysWhatWasWrittenFromWhichEventAndWhen() {
        Result r = history(UUID);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("customer " + UUID);
        assertThat(r.out()).containsPattern("plan\\s+pro\\s+billing\\s+evt_1\\s+2026-03-01T00:00:00Z");
        assertThat(r.out()).contains("unchanged by an event of 2026-03-01T00:01:00Z");
        assertThat(r.out()).containsPattern("seats\\s+7\\s+billing\\s+evt_2\\s+2026-03-01T00:01:00Z");
    }

    @Test
    void jsonForScriptsByExternalIdAsTheIntegrationReadsIt() throws Exception {
        Result r = history("cus_H", "--integration", "billing", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("customer").asText()).isEqualTo(UUID);
        assertThat(json.path("attributes").path("seats").path("value").asText()).isEqualTo("7");
        assertThat(json.path("attributes").path("seats").path("event_id").asText()).isEqualTo("evt_2");
        assertThat(json.path("attributes").path("plan").path("newest_event_time").asText())
                .isEqualTo("2026-03-01T00:01:00Z");
        assertThat(json.path("attributes").path("plan").path("in_doubt").asBoolean()).isFalse();
    }

    @Test
    void anEmailNotResolvedRecentlyIsLookedUpInChartMogul() {
        Result r = history("h@example.com");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("customer " + UUID);
        assertThat(r.out()).doesNotContain("h@example.com");
    }

    @Test
    void unknownOptionsAreUsageErrorsAndNoTableIsAConfigurationError() {
        assertThat(history(UUID, "--since", "x").code()).isEqualTo(64);
        assertThat(history().code()).isEqualTo(64);
        env.remove("RELAY_STATE_TABLE");
        Result r = history(UUID);
        assertThat(r.code()).isEqualTo(78);
        assertThat(r.err()).contains("RELAY_STATE_TABLE");
    }
}
