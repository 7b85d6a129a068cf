package dev.attributerelay.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every row of DESIGN §3, through the real handler, loopback ChartMogul and the real Secrets Manager client. */
class HttpContractTest {
    static final String SIGNING_SECRET = "whsec_contract_test_secret";
    static final String API_KEY = "cm_test_key_1";
    static final String CONFIG = """
            integrations:
              stripe:
                source: stripe
                verify: { scheme: stripe, secret: stripe_signing_secret, tolerance_seconds: 300 }
                data_source_uuid: ds_stripe
                events:
                  - when: type in ["customer.created", "customer.updated"]
                    customer: { external_id: data.object.id }
                    attributes:
                      plan:    { type: String,  value: data.object.metadata.plan }
                      seats:   { type: Integer, value: data.object.metadata.seats }
                      churned: { type: Boolean, value: data.object.delinquent }
                      mrr:     { type: Decimal, value: data.object.metadata.mrr }
                      since:   { type: Timestamp, value: data.object.created }
              anydata:
                source: billing
                verify: { scheme: stripe, secret: stripe_signing_secret }
                on_unknown_customer: reject
                events:
                  - customer: { external_id: customer }
                    attributes:
                      plan: { type: String, value: plan }
              skipper:
                verify: { scheme: stripe, secret: stripe_signing_secret }
                on_unknown_customer: skip
                events:
                  - customer: { email: email }
                    attributes:
                      plan: { type: String, value: plan }
              creator:
                verify: { scheme: stripe, secret: stripe_signing_secret }
                create_missing_attributes: true
                events:
                  - customer: { uuid: uuid }
                    attributes:
                      lifecycle: { type: String, value: stage }
                      score:     { type: Integer, value: score }
              batch:
                verify: { scheme: stripe, secret: stripe_signing_secret }
                max_body_bytes: 2048
                events:
                  - each: items
                    customer: { uuid: uuid }
                    attributes:
                      seats: { type: Integer, value: seats }
              missing_secret:
                verify: { scheme: stripe, secret: not_in_the_secret }
                events:
                  - customer: { uuid: uuid }
                    attributes:
                      plan: { type: String, value: plan }
            """;

    RelayHarness h;

    @BeforeEach
    void start() {
        h = new RelayHarness(CONFIG, "{\"chartmogul_api_key\":\"" + API_KEY + "\",\"stripe_signing_secret\":\""
                + SIGNING_SECRET + "\"}");
        h.chartmogul.acceptKey(API_KEY)
                .customer("cus_in_stripe", "cus_NSPHp4fOlXGw8P", "ds_stripe", "hook@me.com")
                .customer("cus_in_other_source", "cus_NSPHp4fOlXGw8P", "ds_other", "other@example.com")
                .defined("plan", "String").defined("seats", "Integer").defined("churned", "Boolean")
                .defined("mrr", "Decimal").defined("since", "Timestamp");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static String customerUpdated(String plan, String seats) {
        return "{\n  \"id\": \"evt_1\",\n  \"type\": \"customer.updated\",\n  \"created\": 1677833999,\n"
                + "  \"data\": {\"object\": {\"id\": \"cus_NSPHp4fOlXGw8P\", \"delinquent\": false, \"created\": 1677833998,"
                + " \"metadata\": {\"plan\": \"" + plan + "\", \"seats\": \"" + seats + "\", \"mrr\": \"99.50\"}}}\n}";
    }

    static Events.Request signed(String path, String body) {
        long now = Instant.now().getEpochSecond();
        return Events.post(path, body).header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(SIGNING_SECRET, now, body));
    }

    @Test
    void appliedSendsTypedValuesWithTheSourceLabelToTheCustomerInTheConfiguredDataSource() {
        Reply r = h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.body().path("status").asText()).isEqualTo("applied");
        FakeChartMogul.Recorded lookup = h.chartmogul.requests("GET").get(0);
        assertThat(lookup.query()).containsEntry("external_id", "cus_NSPHp4fOlXGw8P").containsEntry("data_source_uuid", "ds_stripe");
        FakeChartMogul.Recorded put = h.chartmogul.requests("PUT").get(0);
        assertThat(put.path()).isEqualTo("/v1/customers/cus_in_stripe/attributes/custom");
        assertThat(put.apiKey()).isEqualTo(API_KEY);
        assertThat(put.body()).isEqualTo("{\"custom\":{"
                + "\"plan\":{\"value\":\"growth\",\"source\":\"stripe\"},"
                + "\"seats\":{\"value\":12,\"source\":\"stripe\"},"
                + "\"churned\":{\"value\":false,\"source\":\"stripe\"},"
                + "\"mrr\":{\"value\":99.50,\"source\":\"stripe\"},"
                + "\"since\":{\"value\":\"2023-03-03T08:59:58.000Z\",\"source\":\"stripe\"}}}");
        assertThat(h.chartmogul.attributesOf("cus_in_other_source")).isEmpty();
    }

    @Test
    void aSecondEventForTheSameCustomerUsesTheCachedUuid() {
        h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi());
        h.invoke(signed("/webhooks/stripe", customerUpdated("scale", "20")).httpApi());
        assertThat(h.chartmogul.requests("GET")).hasSize(1);
        assertThat(h.chartmogul.requests("PUT")).hasSize(2);
        assertThat(h.chartmogul.attributesOf("cus_in_stripe").get("plan").asText()).isEqualTo("scale");
    }

    @Test
    void aRedeliveredEventGetsTheSameAnswerAndLeavesTheSameState() {
        String event = signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi();
        Reply first = h.invoke(event);
        Map<String, JsonNode> after = Map.copyOf(h.chartmogul.attributesOf("cus_in_stripe"));
        int puts = h.chartmogul.requests("PUT").size();
        Reply second = h.invoke(event);
        assertThat(first.body().path("status").asText()).isEqualTo("applied");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().path("status").asText()).as("already applied: unchanged").isEqualTo("ignored");
        assertThat(second.body().path("message").asText()).startsWith("unchanged");
        assertThat(h.chartmogul.requests("PUT")).as("nothing sent again").hasSize(puts);
        assertThat(h.chartmogul.attributesOf("cus_in_stripe")).isEqualTo(after);
    }

    @Test
    void anEventNoRuleMatchesIsIgnoredWith200() {
        String body = "{\"id\":\"evt_2\",\"type\":\"invoice.paid\",\"data\":{\"object\":{}}}";
        Reply r = h.invoke(signed("/webhooks/stripe", body).httpApi());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("ignored");
        assertThat(h.chartmogul.requests()).isEmpty();
    }

    @Test
    void malformedJsonIs400AfterTheSignatureIsVerified() {
        Reply r = h.invoke(signed("/webhooks/stripe", "{\"id\": \"evt_3\", \"type\": ").httpApi());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("error").asText()).isEqualTo("bad_request");
        assertThat(r.body().path("message").asText()).contains("not valid JSON");
    }

    @Test
    void signatureProblemsAre401WithAReason() {
        String body = customerUpdated("growth", "12");
        long now = Instant.now().getEpochSecond();
        Reply missing = h.invoke(Events.post("/webhooks/stripe", body).httpApi());
        Reply wrongSecret = h.invoke(Events.post("/webhooks/stripe", body)
                .header("Stripe-Signature", Events.stripeSignature("whsec_other", now, body)).httpApi());
        Reply stale = h.invoke(Events.post("/webhooks/stripe", body)
                .header("Stripe-Signature", Events.stripeSignature(SIGNING_SECRET, now - 301, body)).httpApi());
        Reply future = h.invoke(Events.post("/webhooks/stripe", body)
                .header("Stripe-Signature", Events.stripeSignature(SIGNING_SECRET, now + 301, body)).httpApi());
        Reply malformed = h.invoke(Events.post("/webhooks/stripe", body).header("Stripe-Signature", "garbage").httpApi());

        for (Reply r : new Reply[] {missing, wrongSecret, stale, future, malformed}) {
            assertThat(r.status()).as(r.toString()).isEqualTo(401);
            assertThat(r.body().path("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(missing.body().path("message").asText()).contains("missing");
        assertThat(stale.body().path("message").asText()).contains("older");
        assertThat(future.body().path("message").asText()).contains("future");
        assertThat(h.chartmogul.requests()).isEmpty();
    }

    @Test
    void unknownIntegrationIs404BeforeAnythingElse() {
        Reply r = h.invoke(Events.post("/webhooks/nope", "not even json").method("GET").httpApi());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().path("error").asText()).isEqualTo("unknown_integration");
    }

    @Test
    void methodsOtherThanPostAre405() {
        Reply get = h.invoke(Events.post("/webhooks/stripe", null).method("GET").httpApi());
        Reply put = h.invoke(signed("/webhooks/stripe", customerUpdated("a", "1")).method("PUT").httpApi());
        assertThat(get.status()).isEqualTo(405);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.body().path("error").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void aBodyOverTheLimitIs413BeforeTheSignatureIsChecked() {
        String body = "{\"items\":[" + "{\"uuid\":\"cus_x\",\"seats\":1},".repeat(100) + "{}]}";
        Reply r = h.invoke(Events.post("/webhooks/batch", body).header("Stripe-Signature", "t=1,v1=00").httpApi());
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body().path("error").asText()).isEqualTo("payload_too_large");
    }

    @Test
    void aValueThatCannotBeCoercedIsHeldAndTheRestOfTheUpdateApplied() {
        Reply r = h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "many")).httpApi());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("held");
        assertThat(r.body().path("held").asInt()).isEqualTo(1);
        assertThat(r.body().path("message").asText()).contains("seats").contains("whole number");
        java.util.Map<String, JsonNode> attributes = h.chartmogul.attributesOf("cus_in_stripe");
        assertThat(attributes.get("plan").asText()).isEqualTo("growth");
        assertThat(attributes).doesNotContainKey("seats");
        assertThat(h.chartmogul.requests("PUT")).singleElement().satisfies(put -> assertThat(put.body()).doesNotContain("seats"));
        // no held queue here: the log keeps it, at WARN, with its reason
        assertThat(h.log()).contains("\"level\":\"WARN\"").contains("uncoercible");
    }

    @Test
    void severalCustomersWithTheExternalIdAreHeldNeverTheFirstWritten() {
        String body = "{\"customer\":\"cus_NSPHp4fOlXGw8P\",\"plan\":\"pro\"}";
        Reply r = h.invoke(signed("/webhooks/anydata", body).httpApi());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("held");
        assertThat(r.body().path("message").asText()).contains("2 ChartMogul customers match").contains("data_source_uuid");
        assertThat(h.chartmogul.requests("PUT")).isEmpty();
    }

    @Test
    void theRecordedTwoMatchLookupIsAmbiguous() {
        h.chartmogul.thenReplay("list_customers_by_external_id_2_matches");
        Reply r = h.invoke(signed("/webhooks/anydata", "{\"customer\":\"X\",\"plan\":\"pro\"}").httpApi());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("message").asText()).contains("2 ChartMogul customers match");
        assertThat(h.chartmogul.requests("PUT")).isEmpty();
    }

    @Test
    void unknownCustomerFollowsThePolicy() {
        Reply retry = h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "1").replace("cus_NSPHp4fOlXGw8P", "cus_new")).httpApi());
        Reply reject = h.invoke(signed("/webhooks/anydata", "{\"customer\":\"cus_new\",\"plan\":\"pro\"}").httpApi());
        h.chartmogul.thenReplay("search_by_email_404");
        Reply skip = h.invoke(signed("/webhooks/skipper", "{\"email\":\"nobody@example.com\",\"plan\":\"pro\"}").httpApi());

        assertThat(retry.status()).isEqualTo(503);
        assertThat(retry.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(reject.status()).isEqualTo(200); // on_unknown_customer: reject, the old name of hold
        assertThat(reject.body().path("status").asText()).isEqualTo("held");
        assertThat(reject.body().path("message").asText()).contains("on_unknown_customer: hold");
        assertThat(skip.status()).isEqualTo(200);
        assertThat(skip.body().path("status").asText()).isEqualTo("ignored");
        assertThat(h.chartmogul.requests("PUT")).isEmpty();
    }

    @Test
    void anUndefinedAttributeIs422WithoutCreationAndCreatedWithIt() {
        h.chartmogul.customer("cus_uuid_1", "x", "ds_x", null);
        String body = "{\"uuid\":\"cus_uuid_1\",\"stage\":\"customer\",\"score\":\"7\"}";
        Reply created = h.invoke(signed("/webhooks/creator", body).httpApi());
        assertThat(created.status()).isEqualTo(200);
        FakeChartMogul.Recorded post = h.chartmogul.requests("POST").get(0);
        assertThat(post.json().toString()).isEqualTo("{\"custom\":["
                + "{\"type\":\"String\",\"key\":\"lifecycle\",\"value\":\"customer\",\"source\":\"creator\"},"
                + "{\"type\":\"Integer\",\"key\":\"score\",\"value\":7,\"source\":\"creator\"}]}");
        assertThat(h.chartmogul.definedAttributes()).containsEntry("lifecycle", "String").containsEntry("score", "Integer");

        String plan = "{\"uuid\":\"cus_uuid_1\",\"plan\":\"pro\"}";
        h.chartmogul.customer("cus_in_stripe2", "y", "ds_x", null);
        Reply refused = h.invoke(signed("/webhooks/missing_secret", plan).httpApi());
        assertThat(refused.status()).isEqualTo(503); // that integration's secret key is absent: see below
        FakeChartMogul fresh = h.chartmogul;
        fresh.defined("seats", "Integer");
        Reply undefined = h.invoke(signed("/webhooks/anydata", "{\"customer\":\"y\",\"plan\":\"pro\"}").httpApi());
        assertThat(undefined.status()).isEqualTo(200); // plan is defined in this account
    }

    @Test
    void anUndefinedAttributeWithoutCreateMissingAttributesIsHeld() {
        h.chartmogul.customer("cus_z", "z", "ds_z", null);
        String config = CONFIG.replace("create_missing_attributes: true", "create_missing_attributes: false");
        try (RelayHarness strict = new RelayHarness(config, "{\"chartmogul_api_key\":\"" + API_KEY
                + "\",\"stripe_signing_secret\":\"" + SIGNING_SECRET + "\"}")) {
            strict.chartmogul.acceptKey(API_KEY).customer("cus_z", "z", "ds_z", null);
            Reply r = strict.invoke(signed("/webhooks/creator", "{\"uuid\":\"cus_z\",\"stage\":\"lead\"}").httpApi());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("status").asText()).isEqualTo("held");
            assertThat(r.body().path("message").asText()).contains("lifecycle is not defined").contains("create_missing_attributes");
            assertThat(strict.chartmogul.requests("POST")).isEmpty();
        }
    }

    @Test
    void aSigningSecretTheSecretLacksIs503NamingNothingOfTheSecretAndTheLogNamesTheKey() {
        Reply r = h.invoke(signed("/webhooks/missing_secret", "{\"uuid\":\"u\",\"plan\":\"p\"}").httpApi());
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body().path("message").asText()).doesNotContain("not_in_the_secret").doesNotContain(SIGNING_SECRET)
                .doesNotContain(API_KEY).doesNotContain(RelayHarness.SECRET_ID);
        assertThat(h.logLines().get(0).path("detail").asText()).contains("not_in_the_secret");
        assertThat(r.header("Retry-After")).isNotNull();
    }

    @Test
    void secretsManagerDownIs503AndRecoversWithoutRedeploy() {
        h.secretsManager.failWith(500);
        Reply down = h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi());
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body().path("error").asText()).isEqualTo("unavailable");
        h.secretsManager.failWith(0);
        Reply up = h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi());
        assertThat(up.status()).isEqualTo(200);
    }

    @Test
    void chartMogul429ThenSuccessIsApplied() {
        h.chartmogul.thenAnswer(429, "{\"code\":429,\"message\":\"Too Many Requests\",\"param\":null}", Map.of());
        Reply r = h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi());
        assertThat(r.status()).isEqualTo(200);
        assertThat(h.chartmogul.requests("GET")).hasSize(2);
    }

    @Test
    void chartMogulStillFailingAfterRetriesIs503WithWholeSecondRetryAfter() {
        for (int i = 0; i < 10; i++) {
            h.chartmogul.thenAnswer(503, "<html>Service Unavailable</html>", Map.of("Content-Type", "text/html"));
        }
        Reply r = h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi());
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
        assertThat(h.chartmogul.requests()).hasSize(5); // the policy's attempt limit, then the sender redelivers
    }

    @Test
    void a500OnPutIsRetriedAtMostOnce() {
        h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi()); // caches the uuid
        h.chartmogul.thenAnswer(500, "Internal Server Error", Map.of("Content-Type", "text/plain"))
                .thenAnswer(500, "Internal Server Error", Map.of("Content-Type", "text/plain"));
        Reply r = h.invoke(signed("/webhooks/stripe", customerUpdated("scale", "20")).httpApi());
        assertThat(r.status()).isEqualTo(503);
        assertThat(h.chartmogul.requests("PUT")).hasSize(3); // 1 earlier + 2 (the try and its one retry)
    }

    @Test
    void aRotatedApiKeyIsReReadOnceOn401ThenTheCallSucceeds() {
        h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi()); // caches key 1
        int readsBefore = h.secretsManager.reads();
        h.secretsManager.put(RelayHarness.SECRET_ID, "{\"chartmogul_api_key\":\"cm_test_key_2\",\"stripe_signing_secret\":\""
                + SIGNING_SECRET + "\"}");
        h.chartmogul.revokeKey(API_KEY).acceptKey("cm_test_key_2");

        Reply r = h.invoke(signed("/webhooks/stripe", customerUpdated("scale", "20")).httpApi());

        assertThat(r.status()).isEqualTo(200);
        assertThat(h.secretsManager.reads()).isEqualTo(readsBefore + 1);
        assertThat(h.chartmogul.requests("PUT")).extracting(FakeChartMogul.Recorded::apiKey)
                .containsExactly(API_KEY, API_KEY, "cm_test_key_2");
    }

    @Test
    void aCachedUuidThatNoLongerExistsIsResolvedAgain() {
        h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).httpApi());
        h.chartmogul.removeCustomer("cus_in_stripe").customer("cus_merged", "cus_NSPHp4fOlXGw8P", "ds_stripe", null);
        Reply r = h.invoke(signed("/webhooks/stripe", customerUpdated("scale", "20")).httpApi());
        assertThat(r.status()).isEqualTo(200);
        assertThat(h.chartmogul.attributesOf("cus_merged").get("plan").asText()).isEqualTo("scale");
    }

    @Test
    void base64BodiesAreVerifiedOverTheDecodedBytes() {
        String body = customerUpdated("grøwth ✓", "3");
        Reply r = h.invoke(signed("/webhooks/stripe", body).base64().httpApi());
        assertThat(r.status()).isEqualTo(200);
        assertThat(h.chartmogul.attributesOf("cus_in_stripe").get("plan").asText()).isEqualTo("grøwth ✓");
    }

    @Test
    void restApiEventsWithMixedCaseRepeatedHeadersWork() {
        String body = customerUpdated("growth", "12");
        String event = signed("/webhooks/stripe", body).restApi();
        // REST keeps the sender's casing; the same header may also appear lower-cased in multiValueHeaders
        event = event.replace("\"Stripe-Signature\"", "\"stripe-SIGNATURE\"");
        Reply r = h.invoke(event);
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void functionUrlEventsTakeTheIntegrationFromThePath() {
        Reply r = h.invoke(signed("/webhooks/stripe", customerUpdated("growth", "12")).functionUrl());
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void aBatchAnswersWithItsWorstItemAndKeepsTheAppliedOnes() {
        h.chartmogul.customer("cus_a", "a", "ds", null).customer("cus_b", "b", "ds", null);
        String body = "{\"items\":[{\"uuid\":\"cus_a\",\"seats\":1},{\"uuid\":\"cus_b\",\"seats\":\"lots\"},"
                + "{\"uuid\":\"cus_b\",\"seats\":2}]}";
        Reply r = h.invoke(signed("/webhooks/batch", body).httpApi());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("held");
        assertThat(r.body().path("held").asInt()).isEqualTo(1);
        assertThat(r.body().path("updates").asInt()).isEqualTo(2);
        assertThat(r.body().path("message").asText()).contains("item 1");
        assertThat(h.chartmogul.attributesOf("cus_a").get("seats").asInt()).isEqualTo(1);
        assertThat(h.chartmogul.attributesOf("cus_b").get("seats").asInt()).isEqualTo(2);
    }

    @Test
    void oneJsonLinePerEventWithTheDesignFieldsAndNoSecrets() {
        String body = customerUpdated("growth", "12");
        String event = signed("/webhooks/stripe", body).httpApi();
        h.invoke(event);
        h.invoke(Events.post("/webhooks/stripe", body).header("Stripe-Signature", "t=1,v1=deadbeef").httpApi());

        var lines = h.logLines();
        assertThat(lines).hasSize(2);
        JsonNode applied = lines.get(0);
        assertThat(applied.path("integration").asText()).isEqualTo("stripe");
        assertThat(applied.path("event_id").asText()).isEqualTo("evt_1");
        assertThat(applied.path("event_type").asText()).isEqualTo("customer.updated");
        // the external id is personal data: a keyed pseudonym, the one the hash command prints
        assertThat(applied.path("customer").asText()).isEqualTo(new dev.attributerelay.CustomerPseudonyms(() ->
                dev.attributerelay.CustomerPseudonyms.keyOf(dev.attributerelay.secrets.RelaySecrets.parse(
                        "{\"chartmogul_api_key\":\"" + API_KEY + "\"}", "test")))
                .of("external_id:ds_stripe/cus_NSPHp4fOlXGw8P"));
        assertThat(applied.path("failure").asText()).isEqualTo("none");
        assertThat(applied.path("attributes").toString()).isEqualTo("[\"plan\",\"seats\",\"churned\",\"mrr\",\"since\"]");
        assertThat(applied.path("outcome").asText()).isEqualTo("applied");
        assertThat(applied.path("status").asInt()).isEqualTo(200);
        assertThat(applied.path("chartmogul_calls").asInt()).isEqualTo(2);
        assertThat(applied.has("duration_ms")).isTrue();
        assertThat(lines.get(1).path("status").asInt()).isEqualTo(401);
        assertThat(lines.get(1).path("failure").asText()).isEqualTo("unauthorized");

        String log = h.log();
        String signature = event.replaceAll(".*\"stripe-signature\":\"([^\"]+)\".*", "$1");
        assertThat(log).doesNotContain(SIGNING_SECRET).doesNotContain(API_KEY).doesNotContain(signature)
                .doesNotContain("deadbeef").doesNotContain("\"metadata\"").doesNotContain("growth")
                .doesNotContain("cus_NSPHp4fOlXGw8P");
    }

    @Test
    void eventBridgeEventsOfAnOwnedSourceMapWithoutASignature() {
        String config = CONFIG.replace("data_source_uuid: ds_stripe", "data_source_uuid: ds_stripe\n    eventbridge_source: aws.partner/stripe.com");
        try (RelayHarness eb = new RelayHarness(config, "{\"chartmogul_api_key\":\"" + API_KEY + "\",\"stripe_signing_secret\":\"x\"}")) {
            eb.chartmogul.acceptKey(API_KEY).customer("cus_in_stripe", "cus_NSPHp4fOlXGw8P", "ds_stripe", null)
                    .defined("plan", "String").defined("seats", "Integer").defined("churned", "Boolean")
                    .defined("mrr", "Decimal").defined("since", "Timestamp");
            var owned = eb.eventBridge().handle(Events.eventBridge("aws.partner/stripe.com/ed_123", "customer.updated",
                    customerUpdated("growth", "12")).getBytes(), new dev.attributerelay.testing.TestContext(10_000));
            var unowned = eb.eventBridge().handle(Events.eventBridge("aws.partner/other.com/x", "thing", "{}").getBytes(),
                    new dev.attributerelay.testing.TestContext(10_000));
            assertThat(owned.status()).isEqualTo(200);
            assertThat(eb.chartmogul.attributesOf("cus_in_stripe").get("plan").asText()).isEqualTo("growth");
            assertThat(unowned.label()).isEqualTo("ignored");
            assertThat(eb.log()).contains("aws.partner/other.com/x").contains("dropped");
        }
    }
}
