package dev.attributerelay.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.mapping.Hold;
import dev.attributerelay.mapping.HoldReason;
import dev.attributerelay.queue.HeldCodec;
import dev.attributerelay.queue.SqsHeldQueue;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.LocalSqs;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * DESIGN §3's held updates, through the real handler, with the held queue on ElasticMQ (a real SQS server): each
 * reason answers 200 "held", the rest of the event applies, and the queue keeps the update with its reason.
 */
class HeldUpdatesTest {
    static final String SIGNING_SECRET = "whsec_held_test_secret";
    static final String API_KEY = "cm_held_key";
    static final String CONFIG = """
            integrations:
              billing:
                verify: { scheme: stripe, secret: signing }
                on_unknown_customer: hold
                events:
                  - customer: { external_id: customer }
                    attributes:
                      plan:  { type: String,  value: plan }
                      seats: { type: Integer, value: seats }
            """;

    LocalSqs sqs;
    SqsClient client;
    String heldUrl;
    RelayHarness h;

    @BeforeEach
    void start() {
        sqs = LocalSqs.shared();
        client = LocalSqs.newClient();
        heldUrl = client.createQueue(b -> b.queueName(LocalSqs.uniqueName("held"))).queueUrl();
        h = harness(heldUrl);
    }

    RelayHarness harness(String url) {
        RelayHarness r = new RelayHarness(CONFIG, "{\"chartmogul_api_key\":\"" + API_KEY + "\",\"signing\":\""
                + SIGNING_SECRET + "\"}", Clock.systemUTC(), new SqsHeldQueue(sqs.relayClient(), url, Clock.systemUTC()));
        r.chartmogul.acceptKey(API_KEY).customer("cus_1", "c1", "ds_1", null).defined("plan", "String")
                .defined("seats", "Integer");
        return r;
    }

    @AfterEach
    void stop() {
        h.close();
        client.close();
    }

    static String event(String body) {
        return Events.post("/webhooks/billing", body).header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(SIGNING_SECRET, Instant.now().getEpochSecond(), body))
                .httpApi();
    }

    List<HeldCodec.Held> held() {
        List<HeldCodec.Held> out = new ArrayList<>();
        List<Message> batch;
        do {
            batch = client.receiveMessage(b -> b.queueUrl(heldUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            batch.forEach(m -> out.add(HeldCodec.decode(m.body())));
        } while (!batch.isEmpty());
        return out;
    }

    @Test
    void anUncoercibleValueHoldsThatAttributeAndAppliesTheRest() {
        Reply r = h.invoke(event("{\"customer\":\"c1\",\"plan\":\"pro\",\"seats\":\"twelve\"}"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("held");
        assertThat(r.body().path("held").asInt()).isEqualTo(1);
        assertThat(r.body().path("updates").asInt()).isEqualTo(1);
        assertThat(h.chartmogul.attributesOf("cus_1")).containsKey("plan").doesNotContainKey("seats");
        Hold hold = held().get(0).hold();
        assertThat(hold.reason()).isEqualTo(HoldReason.UNCOERCIBLE);
        assertThat(hold.unconverted()).containsOnlyKeys("seats");
        assertThat(hold.unconverted().get("seats").value()).isEqualTo("twelve");
        assertThat(hold.customer().key()).contains("c1");
        JsonNode line = h.logLines().get(h.logLines().size() - 1);
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("outcome").asText()).isEqualTo("held");
        assertThat(line.path("held").asInt()).isEqualTo(1);
    }

    @Test
    void textThatIsNotValidUnicodeIsHeldAndKeptExactlyNeverWrittenAsAQuestionMark() {
        Reply r = h.invoke(event("{\"customer\":\"c1\",\"plan\":\"a\\ud800b\",\"seats\":3}"));
        Reply r2 = h.invoke(event("{\"customer\":\"c1\",\"plan\":\"x\\uffffy\",\"seats\":3}"));

        assertThat(r.body().path("status").asText()).isEqualTo("held");
        assertThat(r.body().path("message").asText()).contains("not valid Unicode");
        assertThat(r2.body().path("status").asText()).isEqualTo("held");
        assertThat(h.chartmogul.requests("PUT")).allSatisfy(put -> assertThat(put.body()).doesNotContain("plan"));
        List<Object> values = new ArrayList<>();
        held().forEach(x -> values.add(x.hold().unconverted().get("plan").value()));
        assertThat(values).containsExactlyInAnyOrder("a\ud800b", "x\uffffy");
    }

    @Test
    void anAttributeChartMogulLacksIsHeldWithTheUpdate() {
        RelayHarness lacking = new RelayHarness(CONFIG, "{\"chartmogul_api_key\":\"" + API_KEY + "\",\"signing\":\""
                + SIGNING_SECRET + "\"}", Clock.systemUTC(), new SqsHeldQueue(sqs.relayClient(), heldUrl, Clock.systemUTC()));
        try (lacking) {
            lacking.chartmogul.acceptKey(API_KEY).customer("cus_1", "c1", "ds_1", null).defined("plan", "String");
            Reply r = lacking.invoke(event("{\"customer\":\"c1\",\"plan\":\"pro\",\"seats\":4}"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("status").asText()).isEqualTo("held");
            assertThat(r.body().path("message").asText()).contains("create_missing_attributes");
            Hold hold = held().get(0).hold();
            assertThat(hold.reason()).isEqualTo(HoldReason.UNDEFINED_ATTRIBUTE);
            assertThat(hold.attributes()).containsOnlyKeys("plan", "seats");
        }
    }

    @Test
    void severalMatchingCustomersAreHeldAndNoneIsWritten() {
        h.chartmogul.customer("cus_2", "c1", "ds_2", null);
        Reply r = h.invoke(event("{\"customer\":\"c1\",\"plan\":\"pro\",\"seats\":4}"));
        assertThat(r.body().path("status").asText()).isEqualTo("held");
        assertThat(h.chartmogul.requests("PUT")).isEmpty();
        assertThat(held()).extracting(x -> x.hold().reason()).containsExactly(HoldReason.AMBIGUOUS_CUSTOMER);
    }

    @Test
    void anUnknownCustomerUnderHoldIsHeld() {
        Reply r = h.invoke(event("{\"customer\":\"c_new\",\"plan\":\"pro\",\"seats\":4}"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("held");
        assertThat(held()).extracting(x -> x.hold().reason()).containsExactly(HoldReason.UNKNOWN_CUSTOMER);
    }

    @Test
    void aHeldQueueThatCannotBeWrittenIs503SoTheSenderRedelivers() {
        try (RelayHarness broken = harness(heldUrl.replaceAll("[^/]+$", "no-such-queue"))) {
            Reply r = broken.invoke(event("{\"customer\":\"c1\",\"plan\":\"pro\",\"seats\":\"twelve\"}"));
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(r.body().path("error").asText()).isEqualTo("unavailable");
            assertThat(r.body().path("message").asText()).contains("held queue");
        }
    }

    @Test
    void anEventWithNothingHeldAnswersAppliedAndLeavesTheHeldQueueEmpty() {
        Reply r = h.invoke(event("{\"customer\":\"c1\",\"plan\":\"pro\",\"seats\":4}"));
        assertThat(r.body().path("status").asText()).isEqualTo("applied");
        assertThat(held()).isEmpty();
        assertThat(h.chartmogul.attributesOf("cus_1")).containsKeys("plan", "seats");
    }
}
