package dev.attributerelay.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import dev.attributerelay.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Through the real handler, a broad set of events (applied, skipped, refused values, bad bodies, bad and missing
 * signatures, a secret that lacks a key, Secrets Manager down, EventBridge): no answer and no log line names an
 * email, an external id, an attribute value, a secret, a signature or a body fragment, and no answer names the
 * secret's id. The operator's details (which secret, which key) are in the log.
 */
class LogPrivacyTest {
    static final String SIGNING_SECRET = "whsec_privacy_signing_secret";
    static final String API_KEY = "cm_privacy_api_key";
    static final String EXTERNAL_ID = "cus_PrivateExternal77";
    static final String KNOWN_EMAIL = "known.person@private-example.org";
    static final String UNKNOWN_EMAIL = "jane.unknown@private-example.org";
    static final String PLAN = "plan-value-private";
    static final String BAD_SEATS = "seven-private-seats";
    static final String CONFIG = """
            integrations:
              billing:
                verify: { scheme: stripe, secret: stripe_signing_secret }
                data_source_uuid: ds_billing
                eventbridge_source: aws.partner/billing.example
                events:
                  - customer: { external_id: customer }
                    attributes:
                      plan:  { type: String,  value: plan }
                      seats: { type: Integer, value: seats }
              shop:
                verify: { scheme: shopify, secret: stripe_signing_secret }
                on_unknown_customer: skip
                events:
                  - customer: { email: email }
                    attributes:
                      plan: { type: String, value: plan }
              missing_secret:
                verify: { scheme: stripe, secret: key_not_in_the_secret }
                events:
                  - customer: { email: email }
                    attributes:
                      plan: { type: String, value: plan }
            """;

    RelayHarness h;
    final List<String> answers = new ArrayList<>();
    final List<String> signatures = new ArrayList<>();

    @BeforeEach
    void start() {
        h = new RelayHarness(CONFIG, "{\"chartmogul_api_key\":\"" + API_KEY + "\",\"stripe_signing_secret\":\""
                + SIGNING_SECRET + "\"}");
        h.chartmogul.acceptKey(API_KEY)
                .customer("cus_11111111-1111-1111-1111-111111111111", EXTERNAL_ID, "ds_billing", "other@x.example")
                .customer("cus_22222222-2222-2222-2222-222222222222", "shop_1", "ds_shop", KNOWN_EMAIL)
                .defined("plan", "String").defined("seats", "Integer");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void noAnswerOrLogLineNamesAPersonAValueASecretOrASignature() throws Exception {
        Reply applied = stripe("/webhooks/billing", "{\"customer\":\"" + EXTERNAL_ID + "\",\"plan\":\"" + PLAN
                + "\",\"seats\":12}");
        assertThat(applied.status()).isEqualTo(200);
        Reply badValue = stripe("/webhooks/billing", "{\"customer\":\"" + EXTERNAL_ID + "\",\"plan\":\"" + PLAN
                + "\",\"seats\":\"" + BAD_SEATS + "\"}");
        assertThat(badValue.status()).isBetween(200, 499);
        Reply known = shopify("{\"email\":\"" + KNOWN_EMAIL + "\",\"plan\":\"" + PLAN + "\"}");
        assertThat(known.status()).isEqualTo(200);
        Reply skipped = shopify("{\"email\":\"" + UNKNOWN_EMAIL + "\",\"plan\":\"" + PLAN + "\"}");
        assertThat(skipped.status()).isEqualTo(200);
        Reply badBody = stripe("/webhooks/billing", "{\"customer\":\"" + EXTERNAL_ID + "\",\"plan\":\"" + PLAN);
        assertThat(badBody.status()).isEqualTo(400);
        Reply wrongSignature = answer(h.invoke(Events.post("/webhooks/billing", "{\"email\":\"" + KNOWN_EMAIL + "\"}")
                .header("Stripe-Signature", "t=" + Instant.now().getEpochSecond() + ",v1=" + "ab".repeat(32)).httpApi()));
        assertThat(wrongSignature.status()).isEqualTo(401);
        Reply unsigned = answer(h.invoke(Events.post("/webhooks/billing", "{\"email\":\"" + KNOWN_EMAIL + "\"}").httpApi()));
        assertThat(unsigned.status()).isEqualTo(401);
        Reply missingKey = stripe("/webhooks/missing_secret", "{\"email\":\"" + KNOWN_EMAIL + "\",\"plan\":\"" + PLAN + "\"}");
        assertThat(missingKey.status()).isEqualTo(503);
        ByteArrayOutputStream ebOut = new ByteArrayOutputStream();
        h.eventBridge().handleRequest(new ByteArrayInputStream(Events.eventBridge("aws.partner/billing.example/1", "x",
                "{\"customer\":\"" + EXTERNAL_ID + "\",\"plan\":\"" + PLAN + "\"}").getBytes(StandardCharsets.UTF_8)),
                ebOut, new TestContext(10_000));
        answers.add(ebOut.toString(StandardCharsets.UTF_8));

        String log = h.log();
        String all = log + "\n" + String.join("\n", answers);
        for (String personal : List.of(KNOWN_EMAIL, UNKNOWN_EMAIL, "private-example.org", EXTERNAL_ID, PLAN, BAD_SEATS,
                SIGNING_SECRET, API_KEY, "ab".repeat(32), "\"plan\":\"")) {
            assertThat(all).as("answers and log name " + personal).doesNotContain(personal);
        }
        for (String signature : signatures) {
            assertThat(all).doesNotContain(signature);
        }
        for (String answer : answers) {
            assertThat(answer).as("an answer names the secret").doesNotContain(RelayHarness.SECRET_ID)
                    .doesNotContain("key_not_in_the_secret").doesNotContain("arn:");
        }
        // customers are there, as pseudonyms a person can search for
        List<JsonNode> lines = h.logLines();
        assertThat(lines.get(0).path("customer").asText()).matches("external_id:ds_billing/h:[0-9a-f]{16}");
        List<String> shoppers = lines.stream().filter(l -> l.path("integration").asText().equals("shop"))
                .map(l -> l.path("customer").asText()).toList();
        assertThat(shoppers).hasSize(2).allSatisfy(c -> assertThat(c).matches("email:h:[0-9a-f]{16}"));
        assertThat(shoppers.get(0)).isNotEqualTo(shoppers.get(1));
        // the operator learns which key is missing, from the log
        assertThat(lines).anySatisfy(l -> assertThat(l.path("detail").asText()).contains("key_not_in_the_secret"));
        // 401, 400 and 503 are told apart for alarms
        assertThat(lines).extracting(l -> l.path("failure").asText())
                .contains("none", "unauthorized", "bad_request", "unavailable");
    }

    @Test
    void secretsManagerDownAnswers503NamingNothingOfTheSecret() {
        h.secretsManager.failWith(500);
        Reply r = stripe("/webhooks/billing", "{\"customer\":\"" + EXTERNAL_ID + "\",\"plan\":\"" + PLAN + "\"}");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body().path("error").asText()).isEqualTo("unavailable");
        assertThat(r.body().toString()).doesNotContain(RelayHarness.SECRET_ID).doesNotContain("arn:");
        assertThat(h.logLines().get(0).path("detail").asText()).contains(RelayHarness.SECRET_ID);
        assertThat(h.log()).doesNotContain(EXTERNAL_ID).doesNotContain(PLAN);
    }

    @Test
    void aRequestWithoutASignatureIsRefusedBeforeAnySecretIsRead() {
        Reply r = h.invoke(Events.post("/webhooks/missing_secret", "{\"email\":\"" + KNOWN_EMAIL + "\"}").httpApi());

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().path("message").asText()).isEqualTo("the Stripe-Signature header is missing");
        assertThat(h.secretsManager.reads()).isZero();
    }

    @Test
    void aSecretThatLacksTheSigningKeyAnswers503NamingNothingOfTheSecret() {
        Reply r = stripe("/webhooks/missing_secret", "{\"email\":\"" + KNOWN_EMAIL + "\",\"plan\":\"p\"}");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(r.body().toString()).doesNotContain(RelayHarness.SECRET_ID).doesNotContain("key_not_in_the_secret")
                .doesNotContain("arn:").doesNotContain("123456789012");
        JsonNode line = h.logLines().get(0);
        assertThat(line.path("detail").asText()).contains(RelayHarness.SECRET_ID).contains("key_not_in_the_secret");
    }

    @Test
    void aRevokedApiKeyAnswers503NamingNoKeyOfTheSecretAndTheLogSaysWhichToFix() {
        h.chartmogul.revokeKey(API_KEY);
        Reply r = stripe("/webhooks/billing", "{\"customer\":\"" + EXTERNAL_ID + "\",\"plan\":\"" + PLAN + "\"}");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body().toString()).doesNotContain("chartmogul_api_key").doesNotContain(API_KEY);
        JsonNode line = h.logLines().get(0);
        assertThat(line.path("detail").asText()).contains("chartmogul_api_key");
        assertThat(line.path("failure").asText()).isEqualTo("unavailable");
    }

    private Reply stripe(String path, String body) {
        long now = Instant.now().getEpochSecond();
        String signature = Events.stripeSignature(SIGNING_SECRET, now, body);
        signatures.add(signature.substring(signature.indexOf("v1=") + 3));
        return answer(h.invoke(Events.post(path, body).header("Content-Type", "application/json")
                .header("Stripe-Signature", signature).httpApi()));
    }

    private Reply shopify(String body) {
        String signature = java.util.Base64.getEncoder().encodeToString(Events.hmac(
                SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8)));
        signatures.add(signature);
        return answer(h.invoke(Events.post("/webhooks/shop", body).header("Content-Type", "application/json")
                .header("X-Shopify-Hmac-Sha256", signature).httpApi()));
    }

    private Reply answer(Reply r) {
        answers.add(r.raw().toString());
        return r;
    }
}
