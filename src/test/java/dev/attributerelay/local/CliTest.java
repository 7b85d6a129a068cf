package dev.attributerelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.RelayHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, and the local tool's other answers. */
class CliTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Map<String, String> env, String... args) {
        return Cli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The output of the next command only. */
    void reset() {
        out.reset();
        err.reset();
    }

    @Test
    void theBundledSampleDryRunPrintsTheExactRequestsAndAnswers200() {
        int code = run(Map.of(), "invoke", "events/stripe-customer-updated.http-api.json", "--secrets", "events/local-secrets.json");

        assertThat(code).isZero();
        assertThat(out()).contains("GET https://api.chartmogul.com/v1/customers?external_id=cus_NSPHp4fOlXGw8P\n")
                .contains("PUT https://api.chartmogul.com/v1/customers/" + DryRunTransport.PLACEHOLDER_UUID + "/attributes/custom\n")
                .contains("{\"custom\":{\"country\":{\"value\":\"CM\",\"source\":\"stripe\"},"
                        + "\"currency\":{\"value\":\"USD\",\"source\":\"stripe\"},"
                        + "\"delinquent\":{\"value\":false,\"source\":\"stripe\"},"
                        + "\"plan\":{\"value\":\"growth\",\"source\":\"stripe\"},"
                        + "\"seats\":{\"value\":12,\"source\":\"stripe\"},"
                        + "\"acquisition_channel\":{\"value\":\"partner\",\"source\":\"stripe\"}}}")
                .contains("# response: HTTP 200")
                .contains("\"status\" : \"applied\"")
                .contains("Authorization: Basic <chartmogul_api_key>")
                .doesNotContain("whsec_");
    }

    @Test
    void theRealClockRefusesTheStaleSampleAsADeployedFunctionWould() {
        int code = run(Map.of(), "invoke", "events/stripe-customer-updated.http-api.json", "--secrets",
                "events/local-secrets.json", "--clock", "now");
        assertThat(code).isEqualTo(1);
        assertThat(out()).contains("# response: HTTP 401").contains("older than the 300 s tolerance");
    }

    @Test
    void theEventBridgeSampleMapsThroughTheSameRules() {
        int code = run(Map.of(), "invoke", "events/stripe-customer-updated.eventbridge.json");
        assertThat(code).isZero();
        assertThat(out()).contains("PUT https://api.chartmogul.com/v1/customers/").contains("# outcome: applied (200)");
    }

    @Test
    void withoutTheSigningSecretTheAnswerIs503AndTheLogNamesTheKey() {
        int code = run(Map.of(), "invoke", "events/stripe-customer-updated.http-api.json");
        assertThat(code).isEqualTo(1);
        assertThat(out()).contains("HTTP 503").doesNotContain("stripe_signing_secret");
        assertThat(err()).contains("stripe_signing_secret");
    }

    @Test
    void hashPrintsThePseudonymTheLogLinesUseForACustomer() {
        String secrets = "{\"chartmogul_api_key\":\"cm_key\",\"stripe_signing_secret\":\"whsec_x\"}";
        try (RelayHarness h = new RelayHarness("""
                integrations:
                  shop:
                    verify: { scheme: none, allow_unsigned: true }
                    on_unknown_customer: skip
                    events:
                      - customer: { email: email }
                        attributes: { plan: { type: String, value: plan } }
                  billing:
                    verify: { scheme: none, allow_unsigned: true }
                    events:
                      - customer: { external_id: id, data_source_uuid: ds_9 }
                        attributes: { plan: { type: String, value: plan } }
                """, secrets)) {
            h.chartmogul.acceptKey("cm_key");
            h.invoke(Events.post("/webhooks/shop", "{\"email\":\"Ann@Example.com\",\"plan\":\"p\"}").httpApi());
            h.invoke(Events.post("/webhooks/billing", "{\"id\":\"cus_42\",\"plan\":\"p\"}").httpApi());
            List<JsonNode> lines = h.logLines();

            reset();
            assertThat(run(Map.of("RELAY_SECRETS", secrets), "hash", "email", "ann@example.com")).isZero();
            assertThat(out().trim()).isEqualTo(lines.get(0).path("customer").asText()).startsWith("email:h:");
            reset();
            assertThat(run(Map.of("RELAY_SECRETS", secrets), "hash", "external_id", "cus_42", "--data-source", "ds_9"))
                    .isZero();
            assertThat(out().trim()).isEqualTo(lines.get(1).path("customer").asText()).startsWith("external_id:ds_9/h:");
            // its own key wins over the API key, so pseudonyms survive an API key rotation
            reset();
            assertThat(run(Map.of("RELAY_SECRETS", "{\"chartmogul_api_key\":\"other\",\"log_hash_key\":\"k\"}"),
                    "hash", "email", "ann@example.com")).isZero();
            assertThat(out()).doesNotContain(lines.get(0).path("customer").asText());
            assertThat(run(Map.of(), "hash", "email")).isEqualTo(64);
        }
    }

    @Test
    void checkConfigValidatesAndExplains(@TempDir Path dir) throws Exception {
        assertThat(run(Map.of(), "check-config")).isZero();
        assertThat(out()).contains("integration 'stripe': scheme stripe, secret key 'stripe_signing_secret'").endsWith("ok\n");

        Path bad = dir.resolve("relay.yaml");
        Files.writeString(bad, "integrations:\n  x:\n    verify: { scheme: stripe, secret: s }\n    events:\n"
                + "      - customer: { uuid: u }\n        attributes: { a: { type: Text, value: v } }\n");
        assertThat(run(Map.of(), "check-config", bad.toString())).isEqualTo(78);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("integration 'x', rule events[0], field attributes.a.type: 'Text' is not a type");
    }

    @Test
    void usageErrorsExitWith64() {
        assertThat(run(Map.of(), "frobnicate")).isEqualTo(64);
        assertThat(run(Map.of(), "invoke")).isEqualTo(64);
        assertThat(run(Map.of(), "invoke", "x.json", "--clock", "tomorrow")).isEqualTo(64);
    }

    @Test
    void signPrintsTheHeadersAndAnEventThatInvokeAccepts(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("body.json");
        Files.writeString(body, "{\"id\":\"evt_9\",\"type\":\"customer.updated\",\"created\":1,"
                + "\"data\":{\"object\":{\"id\":\"cus_9\",\"metadata\":{\"plan\":\"pro\"}}}}");
        assertThat(run(Map.of(), "sign", "stripe", body.toString(), "--secrets", "events/local-secrets.json")).isZero();
        assertThat(out()).startsWith("POST http://localhost:3000/webhooks/stripe\nContent-Type: application/json\n")
                .containsPattern("Stripe-Signature: t=\\d+,v1=[0-9a-f]{64}\n");

        out.reset();
        assertThat(run(Map.of(), "sign", "stripe", body.toString(), "--secrets", "events/local-secrets.json", "--event")).isZero();
        Path event = dir.resolve("event.json");
        Files.writeString(event, out());
        out.reset();
        assertThat(run(Map.of(), "invoke", event.toString(), "--secrets", "events/local-secrets.json", "--clock", "now")).isZero();
        assertThat(out()).contains("\"plan\":{\"value\":\"pro\",\"source\":\"stripe\"}").contains("HTTP 200");
    }

    @Test
    void signWithoutTheSecretSaysWhichKeyIsMissing(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("b.json");
        Files.writeString(body, "{}");
        assertThat(run(Map.of(), "sign", "stripe", body.toString())).isEqualTo(66);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stripe_signing_secret");
        assertThat(run(Map.of(), "sign", "nope", body.toString())).isEqualTo(65);
    }
}
