package dev.attributerelay.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.RelayHarness;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SnapStart priming hook, run directly: it exercises everything and touches nothing real. */
class PrimingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of("AWS_REGION", "eu-west-1");
    private static final String CONFIG = HttpContractTest.CONFIG + """
              partner:
                eventbridge_source: aws.partner/stripe.com
                events:
                  - customer: { external_id: data.object.id }
                    attributes:
                      plan: { type: String, value: data.object.metadata.plan }
            """;

    RelayHarness h;

    @BeforeEach
    void start() {
        h = new RelayHarness(CONFIG, "{\"chartmogul_api_key\":\"" + HttpContractTest.API_KEY
                + "\",\"stripe_signing_secret\":\"" + HttpContractTest.SIGNING_SECRET + "\"}");
        h.chartmogul.acceptKey(HttpContractTest.API_KEY)
                .customer("cus_in_stripe", "cus_NSPHp4fOlXGw8P", "ds_stripe", "hook@me.com")
                .defined("plan", "String").defined("seats", "Integer").defined("churned", "Boolean")
                .defined("mrr", "Decimal").defined("since", "Timestamp");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void primingRunsEveryIntegrationWithoutReadingTheSecretOrCallingChartMogul() throws Exception {
        int failed = new Priming(h.relay, ENV, ApiGatewayHandler.primingEntryPoint(Clock.systemUTC())).prime()
                + new Priming(h.relay, ENV, EventBridgeHandler.primingEntryPoint(Clock.systemUTC())).prime();

        assertThat(failed).as(h.log()).isZero();
        assertThat(h.chartmogul.requests()).isEmpty();
        assertThat(h.secretsManager.reads()).isZero();
        List<JsonNode> lines = h.logLines();
        assertThat(lines).hasSize(2).allSatisfy(l -> {
            assertThat(l.get("level").asText()).isEqualTo("INFO");
            assertThat(l.get("message").asText()).startsWith("SnapStart priming: 16 steps in ");
        });
    }

    @Test
    void withAStateTableConfiguredPrimingDrivesTheStateTablesClientAtTheLoopbackEndpoint() throws Exception {
        Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "RELAY_STATE_TABLE", "relay-state");

        int failed = new Priming(h.relay, env, ApiGatewayHandler.primingEntryPoint(Clock.systemUTC())).prime();

        assertThat(failed).as(h.log()).isZero();
        assertThat(h.chartmogul.requests()).isEmpty();
        assertThat(h.secretsManager.reads()).isZero();
        String line = h.logLines().get(h.logLines().size() - 1).get("message").asText();
        // the lookup's reads and leases, then a lease and a settle per delivery; the customer is cached after one
        assertThat(line).matches("SnapStart priming: 16 steps in \\d+ ms, [1-9]\\d* state table calls");
    }

    @Test
    void theFunctionsOwnRelayStartsEmptyAfterPriming() throws Exception {
        new Priming(h.relay, ENV, ApiGatewayHandler.primingEntryPoint(Clock.systemUTC())).prime();

        String body = HttpContractTest.customerUpdated("growth", "12");
        RelayHarness.Reply r = h.invoke(Events.post("/webhooks/stripe", body).header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(HttpContractTest.SIGNING_SECRET,
                        Instant.now().getEpochSecond(), body)).httpApi());

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // the real secret is read now, and the customer is looked up: priming filled neither cache
        assertThat(h.secretsManager.reads()).isEqualTo(1);
        assertThat(h.chartmogul.requests("GET")).hasSize(1);
        assertThat(h.chartmogul.requests("PUT")).hasSize(1);
        JsonNode event = h.logLines().get(h.logLines().size() - 1);
        assertThat(event.get("chartmogul_calls").asInt()).isEqualTo(2);
    }

    @Test
    void afterTheRestoreTheSecretIsReadBesideTheWaitForTheFirstEventAndTheFirstRequestFindsIt() throws Exception {
        Priming priming = new Priming(h.relay, ENV, ApiGatewayHandler.primingEntryPoint(Clock.systemUTC()));
        priming.prime();
        assertThat(h.secretsManager.reads()).isZero();

        priming.afterRestore(null);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (h.relay.secrets().lastRead() == null && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(h.relay.secrets().lastRead()).as("read after the restore").isNotNull();
        assertThat(h.secretsManager.reads()).isEqualTo(1);

        String body = HttpContractTest.customerUpdated("growth", "12");
        RelayHarness.Reply r = h.invoke(Events.post("/webhooks/stripe", body).header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(HttpContractTest.SIGNING_SECRET,
                        Instant.now().getEpochSecond(), body)).httpApi());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(h.secretsManager.reads()).as("the first request read nothing more").isEqualTo(1);
    }

    @Test
    void thePrimingSecretNamesEverySecretTheConfigUsesWithAPlaceholderValue() throws Exception {
        JsonNode secret = JSON.readTree(Priming.secretJson(ConfigLoader.parse("relay.yaml", CONFIG)));

        assertThat(secret.size()).isEqualTo(3);
        assertThat(secret.get("chartmogul_api_key").asText()).isEqualTo(Priming.PLACEHOLDER);
        assertThat(secret.get("stripe_signing_secret").asText()).isEqualTo(Priming.PLACEHOLDER);
        assertThat(secret.get("not_in_the_secret").asText()).isEqualTo(Priming.PLACEHOLDER);
    }

    @Test
    void nothingIsRegisteredOutsideASnapStartInit() {
        assertThat(Priming.registerIfSnapStart(Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"), h.relay,
                ApiGatewayHandler.primingEntryPoint(Clock.systemUTC()))).isNull();
        assertThat(Priming.registerIfSnapStart(Map.of(), h.relay,
                ApiGatewayHandler.primingEntryPoint(Clock.systemUTC()))).isNull();
    }
}
