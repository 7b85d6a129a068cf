package dev.attributerelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.mapping.HoldReason;
import dev.attributerelay.queue.HeldCodec;
import dev.attributerelay.queue.SqsHeldQueue;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.LocalSqs;
import dev.attributerelay.testing.RelayHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code replay --from <held queue>}: held updates sent again after the fix, the rest back with their reasons. */
class HeldReplayCommandTest {
    static final String SIGNING_SECRET = "whsec_replay_held";
    static final String API_KEY = "cm_replay_key";
    static final String SECRETS = "{\"chartmogul_api_key\":\"" + API_KEY + "\",\"signing\":\"" + SIGNING_SECRET + "\"}";
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

    @TempDir
    Path dir;
    LocalSqs local;
    SqsClient sqs;
    String heldUrl;
    RelayHarness h;

    @BeforeEach
    void start() {
        local = LocalSqs.shared();
        sqs = LocalSqs.newClient();
        heldUrl = sqs.createQueue(b -> b.queueName(LocalSqs.uniqueName("held-replay"))).queueUrl();
        h = new RelayHarness(CONFIG, SECRETS, Clock.systemUTC(), new SqsHeldQueue(local.relayClient(), heldUrl, Clock.systemUTC()));
        h.chartmogul.acceptKey(API_KEY).customer("cus_1", "c1", "ds_1", null).customer("cus_2", "c2", "ds_1", null)
                .customer("cus_3", "c2", "ds_2", null).defined("plan", "String");
    }

    @AfterEach
    void stop() {
        h.close();
        sqs.close();
    }

    void post(String body) {
        String event = Events.post("/webhooks/billing", body).header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(SIGNING_SECRET, Instant.now().getEpochSecond(), body))
                .httpApi();
        assertThat(h.invoke(event).body().path("status").asText()).isEqualTo("held");
    }

    record Run(int exit, String out) {
    }

    Run replay(String config, String... extra) throws Exception {
        Path file = Files.writeString(dir.resolve("relay-" + System.nanoTime() + ".yaml"), config);
        List<String> args = new ArrayList<>(List.of("replay", "--from", heldUrl, "--config", file.toString()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new java.util.HashMap<>(local.env());
        env.put("RELAY_SECRETS", SECRETS);
        env.put("CHARTMOGUL_API_URL", h.chartmogul.url().toString());
        int exit = Cli.run(args.toArray(String[]::new), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    List<HeldCodec.Held> held() {
        List<HeldCodec.Held> out = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(b -> b.queueUrl(heldUrl).maxNumberOfMessages(10)).messages();
            batch.forEach(m -> out.add(HeldCodec.decode(m.body())));
        } while (!batch.isEmpty());
        return out;
    }

    @Test
    void afterTheFixHeldUpdatesAreAppliedAndWhatIsStillHeldGoesBackWithItsReason() throws Exception {
        post("{\"customer\":\"c1\",\"plan\":\"pro\",\"seats\":4}");        // seats not defined in ChartMogul
        post("{\"customer\":\"c2\",\"plan\":\"team\"}");                   // two customers match c2
        int putsBefore = h.chartmogul.requests("PUT").size();

        Run dry = replay(CONFIG, "--dry-run");
        assertThat(dry.exit()).isZero();
        assertThat(dry.out()).contains("undefined_attribute").contains("ambiguous_customer")
                .contains("dry run: 2 held updates").doesNotContain("c1\"").doesNotContain("pro");
        assertThat(h.chartmogul.requests("PUT")).hasSize(putsBefore);

        h.chartmogul.defined("seats", "Integer"); // the operator defines the attribute
        Run run = replay(CONFIG);

        assertThat(run.exit()).as(run.out()).isEqualTo(1); // one went back held
        assertThat(run.out()).contains("sent event").contains("held again").contains("ambiguous_customer")
                .contains("1 sent, 1 held again, 0 failed");
        assertThat(h.chartmogul.attributesOf("cus_1").get("seats").asInt()).isEqualTo(4);
        assertThat(held()).extracting(x -> x.hold().reason()).containsExactly(HoldReason.AMBIGUOUS_CUSTOMER);
    }

    @Test
    void aValueThatDidNotCoerceIsCoercedAgainUnderTheFixedRule() throws Exception {
        h.chartmogul.defined("seats", "String");
        post("{\"customer\":\"c1\",\"plan\":\"pro\",\"seats\":\"twelve\"}");

        Run still = replay(CONFIG);
        assertThat(still.exit()).isEqualTo(1);
        assertThat(still.out()).contains("held again").contains("uncoercible");

        Run fixed = replay(CONFIG.replace("seats: { type: Integer", "seats: { type: String"));
        assertThat(fixed.exit()).as(fixed.out()).isZero();
        assertThat(h.chartmogul.attributesOf("cus_1").get("seats").asText()).isEqualTo("twelve");
        assertThat(held()).isEmpty();
    }
}
