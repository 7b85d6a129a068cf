package dev.attributerelay.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.FakeSecretsManager;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import dev.attributerelay.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §3 "within the sender's patience": Shopify hangs up after 5 s, so whatever the relay cannot finish by then
 * answers 503 with Retry-After first; the budget runs from when API Gateway received the request, init included.
 */
class ResponseBudgetTest {
    static final String SECRET = "shpss_budget_test";
    static final String API_KEY = "cm_budget_key";
    static final String CONFIG = """
            integrations:
              shop:
                verify: { scheme: shopify, secret: shopify_secret }
                events:
                  - customer: { email: email }
                    attributes:
                      orders: { type: Integer, value: orders_count }
              patient:
                verify: { scheme: shopify, secret: shopify_secret }
                respond_within_ms: 12000
                events:
                  - customer: { email: email }
                    attributes:
                      orders: { type: Integer, value: orders_count }
            """;
    static final String BODY = "{\"email\":\"ada@example.com\",\"orders_count\":3}";

    static String shopifyEvent(String integration, Instant receivedAt) {
        String hmac = Base64.getEncoder().encodeToString(Events.hmac(SECRET.getBytes(StandardCharsets.UTF_8),
                BODY.getBytes(StandardCharsets.UTF_8)));
        return Events.post("/webhooks/" + integration, BODY).header("Content-Type", "application/json")
                .header("X-Shopify-Hmac-Sha256", hmac).header("X-Shopify-Topic", "customers/update")
                .receivedAt(receivedAt).httpApi();
    }

    static String secretJson() {
        return "{\"chartmogul_api_key\":\"" + API_KEY + "\",\"shopify_secret\":\"" + SECRET + "\"}";
    }

    @Test
    void eachIntegrationHasItsProvidersBudgetOrItsOwn() {
        var config = ConfigLoader.parse("relay.yaml", CONFIG);
        assertThat(config.integration("shop").respondWithin()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.integration("patient").respondWithin()).isEqualTo(Duration.ofSeconds(12));
        var bundled = ConfigLoader.loadBundled();
        bundled.integrations().values().forEach(i -> assertThat(i.respondWithin()).as(i.name())
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(29)));
    }

    @Test
    void aChartMogulThatAnswersAfterThreeSecondsGetsA503BeforeShopifyHangsUp() {
        try (RelayHarness h = new RelayHarness(CONFIG, secretJson())) {
            h.chartmogul.acceptKey(API_KEY).customer("cus_1", "x", "ds", "ada@example.com").defined("orders", "Integer")
                    .faults(r -> FakeChartMogul.Fault.delay(3000));
            Instant received = Instant.now();
            Reply r = h.invoke(shopifyEvent("shop", received));
            Instant answered = Instant.now();

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(Duration.between(received, answered)).isLessThan(Duration.ofSeconds(5));
            assertThat(h.chartmogul.requests("PUT")).isEmpty(); // the lookup took the time; none was left for a PUT
        }
    }

    @Test
    void aSecretsManagerThatHangsIsA503WithinTheBudget() {
        try (RelayHarness h = new RelayHarness(CONFIG, secretJson())) {
            h.chartmogul.acceptKey(API_KEY).customer("cus_1", "x", "ds", "ada@example.com").defined("orders", "Integer");
            h.secretsManager.hangFor(20_000);
            Instant received = Instant.now();
            Reply r = h.invoke(shopifyEvent("shop", received));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(r.body().path("message").asText()).contains("secrets cannot be read now");
            assertThat(h.logLines().get(0).path("detail").asText()).isNotEmpty();
            assertThat(Duration.between(received, Instant.now())).isLessThan(Duration.ofSeconds(5));
            assertThat(h.chartmogul.requests()).isEmpty();
        }
    }

    @Test
    void aSecretsManagerThatHangsDuringInitDoesNotMakeTheSenderWaitPastTheBudget(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("relay.yaml"), CONFIG);
        try (FakeSecretsManager sm = new FakeSecretsManager(); FakeChartMogul cm = new FakeChartMogul()) {
            sm.put("relay/budget", secretJson()).hangFor(20_000);
            cm.acceptKey(API_KEY);
            String previous = System.getProperty("aws.endpointUrlSecretsManager");
            System.setProperty("aws.endpointUrlSecretsManager", sm.url().toString());
            System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "test"));
            System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "test"));
            try {
                // API Gateway receives the request, then the container starts: init is part of the sender's wait
                Instant received = Instant.now();
                Relay relay = Wiring.forLambda(Map.of("CHARTMOGUL_SECRET_ID", "relay/budget", "AWS_REGION", "eu-west-1",
                        "RELAY_CONFIG", config.toString(), "CHARTMOGUL_API_URL", cm.url().toString()));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                new ApiGatewayHandler(relay, Clock.systemUTC()).handleRequest(new ByteArrayInputStream(
                        shopifyEvent("shop", received).getBytes(StandardCharsets.UTF_8)), out, new TestContext(20_000));
                Instant answered = Instant.now();
                Reply r = new Reply(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray()));

                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
                assertThat(Duration.between(received, answered)).isLessThan(Duration.ofSeconds(5));
                assertThat(sm.reads()).isGreaterThanOrEqualTo(1); // init did try to read it ahead
            } finally {
                if (previous == null) {
                    System.clearProperty("aws.endpointUrlSecretsManager");
                } else {
                    System.setProperty("aws.endpointUrlSecretsManager", previous);
                }
            }
        }
    }
}
