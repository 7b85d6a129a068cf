package dev.attributerelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.FakeSecretsManager;
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
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkConfigRefusesAnOptionItDoesNotKnowNamingIt() {
        assertThat(run(Map.of(), "check-config", "--secret", "events/local-secrets.json")).isEqualTo(64);
        assertThat(err()).startsWith("unknown option --secret");
        assertThat(run(Map.of(), "check-config", "a.yaml", "b.yaml")).isEqualTo(64);
        assertThat(run(Map.of(), "check-config", "--curl")).isEqualTo(64);
    }

    @Test
    void checkConfigReportsEveryProblemOfTheFileInOneRun(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("relay.yaml");
        Files.writeString(bad, """
                integrations:
                  first:
                    verify: { scheme: stripe }
                    events:
                      - customer: { uuid: u }
                        attributes:
                          a: { type: Text, value: v }
                          b: { type: Integer, value: "x +" }
                      - name: second
                        when: "type = "
                        customer: { email: e, external_id: x }
                        attributes: { c: { type: String, value: v } }
                  other:
                    verify: { scheme: nonesuch, secret: s }
                    on_unknown_customer: shrug
                    create_missing_attribute: true
                    max_body_bytes: lots
                    events:
                      - customer: { uuid: u }
                        attributes: { d: { type: String, value: v } }
                """);
        assertThat(run(Map.of(), "check-config", bad.toString())).isEqualTo(78);
        String file = bad.toString();
        assertThat(err()).contains(file + ": integration 'first', field verify.secret: is required")
                .contains(file + ": integration 'first', rule events[0], field attributes.a.type: 'Text' is not a type")
                .contains(file + ": integration 'first', rule events[0], field attributes.b.value: ")
                .contains(file + ": integration 'first', rule events[1] (second), field when: ")
                .contains(file + ": integration 'first', rule events[1] (second), field customer: names both")
                .contains(file + ": integration 'other', field verify.scheme: ")
                .contains(file + ": integration 'other', field on_unknown_customer: must be retry, skip or hold")
                .contains(file + ": integration 'other', field create_missing_attribute: is not a known setting")
                .contains(file + ": integration 'other', field max_body_bytes: must be a whole number")
                .endsWith("9 problems\n");
    }

    @Test
    void aYamlSyntaxErrorPointsAtTheLineAtFault(@TempDir Path dir) throws Exception {
        Path tab = dir.resolve("tab.yaml");
        Files.writeString(tab, "integrations:\n  x:\n    verify: { scheme: none, allow_unsigned: true }\n"
                + "    events:\n\t- customer: { uuid: u }\n");
        assertThat(run(Map.of(), "check-config", tab.toString())).isEqualTo(78);
        assertThat(err()).contains("at line 5, column 1");

        err.reset();
        Path indent = dir.resolve("indent.yaml");
        Files.writeString(indent, "integrations:\n  x:\n    verify:\n      scheme: none\n     allow_unsigned: true\n");
        assertThat(run(Map.of(), "check-config", indent.toString())).isEqualTo(78);
        assertThat(err()).contains("at line 5,");
    }

    @Test
    void checkConfigWithSecretsNamesEveryMissingKeyAndNoValue(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("secrets.json");
        Files.writeString(secrets, "{\"chartmogul_api_key\":\"cm_live_DO_NOT_PRINT\",\"stripe_signing_secret\":\"whsec_DO_NOT_PRINT\"}");
        assertThat(run(Map.of(), "check-config", "--secrets", secrets.toString())).isEqualTo(78);
        assertThat(err()).contains("integration 'paddle', field verify.secret: the secrets have no key 'paddle_webhook_secret'")
                .contains("the secrets have no key 'mailchimp_token'").contains("7 problems")
                .doesNotContain("integration 'stripe', field verify.secret").doesNotContain("DO_NOT_PRINT");
        assertThat(out()).doesNotContain("DO_NOT_PRINT");

        out.reset();
        err.reset();
        // the samples' secrets name every signing key of the bundled file; the API key is the one they leave out
        Path complete = dir.resolve("complete.json");
        Files.writeString(complete, Files.readString(Path.of("events/local-secrets.json")).trim()
                .replaceFirst("^\\{", "{\"chartmogul_api_key\":\"cm_live_DO_NOT_PRINT\","));
        assertThat(run(Map.of(), "check-config", "--secrets", "events/local-secrets.json")).isEqualTo(78);
        assertThat(err()).contains("the secrets have no 'chartmogul_api_key'").contains("1 problem");
        out.reset();
        err.reset();
        assertThat(run(Map.of(), "check-config", "--secrets", complete.toString())).isZero();
        assertThat(out()).contains("every key relay.yaml names is there").endsWith("ok\n");
        assertThat(out() + err()).doesNotContain("whsec_").doesNotContain("DO_NOT_PRINT");
    }

    @Test
    void checkConfigWithSecretsNamesAMissingBackfillKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("relay.yaml");
        Files.writeString(config, """
                integrations:
                  stripe:
                    preset: stripe
                    verify: { scheme: stripe, secret: stripe_signing_secret }
                    backfill: { api_key: stripe_api_key }
                """);
        Path secrets = dir.resolve("secrets.json");
        Files.writeString(secrets, "{\"chartmogul_api_key\":\"cm_DO_NOT_PRINT\",\"stripe_signing_secret\":\"whsec_DO_NOT_PRINT\"}");
        assertThat(run(Map.of(), "check-config", config.toString(), "--secrets", secrets.toString())).isEqualTo(78);
        assertThat(err()).contains("integration 'stripe', field backfill.api_key: the secrets have no key 'stripe_api_key'")
                .contains("1 problem").doesNotContain("DO_NOT_PRINT");

        out.reset();
        err.reset();
        Files.writeString(secrets, "{\"chartmogul_api_key\":\"cm_DO_NOT_PRINT\",\"stripe_signing_secret\":\"whsec_DO_NOT_PRINT\","
                + "\"stripe_api_key\":\"rk_DO_NOT_PRINT\"}");
        assertThat(run(Map.of(), "check-config", config.toString(), "--secrets", secrets.toString())).isZero();
        assertThat(out() + err()).doesNotContain("DO_NOT_PRINT");
    }

    @Test
    void checkConfigWarnsAboutPlaceholdersLeftInPlace(@TempDir Path dir) throws Exception {
        assertThat(run(Map.of(), "check-config")).isZero();
        assertThat(err()).contains("warning: relay.yaml: integration 'hubspot', field verify.public_url: still the placeholder "
                + "https://hooks.example.com/webhooks/hubspot");

        err.reset();
        Path cfg = dir.resolve("relay.yaml");
        Files.writeString(cfg, "integrations:\n  s:\n    verify: { scheme: none, allow_unsigned: true }\n"
                + "    data_source_uuid: ds_00000000-0000-0000-0000-000000000000\n    preset: stripe\n");
        assertThat(run(Map.of(), "check-config", cfg.toString())).isZero();
        assertThat(err()).contains("field data_source_uuid: still the placeholder ds_00000000-0000-0000-0000-000000000000");

        err.reset();
        Files.writeString(cfg, "integrations:\n  s:\n    verify: { scheme: none, allow_unsigned: true }\n"
                + "    data_source_uuid: ds_5a1e2f00-1111-4222-8333-944455556666\n    preset: stripe\n");
        assertThat(run(Map.of(), "check-config", cfg.toString())).isZero();
        assertThat(err()).doesNotContain("warning");
    }

    @Test
    void signCurlPrintsACommandThatServeAccepts(@TempDir Path dir) throws Exception {
        Path body = dir.resolve("it's body.json");
        Files.writeString(body, "{\"id\":\"evt_9\",\"type\":\"customer.updated\",\"created\":1,"
                + "\"data\":{\"object\":{\"id\":\"cus_9\",\"metadata\":{\"plan\":\"pro\"}}}}");
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        PrintStream q = new PrintStream(quiet, true, StandardCharsets.UTF_8);
        Cli.Options o = Cli.Options.parse(new String[] {"--port", "0", "--dry-run", "--secrets", "events/local-secrets.json"}, 0);
        LocalServer server = Cli.startServer(o, Map.of(), q, q);
        try {
            String url = "http://127.0.0.1:" + server.port() + "/webhooks/stripe";
            assertThat(run(Map.of(), "sign", "stripe", body.toString(), "--secrets", "events/local-secrets.json",
                    "--url", url, "--curl")).isZero();
            String command = out();
            assertThat(command).startsWith("curl -sS -X POST '" + url + "'").contains("-H 'Stripe-Signature: t=")
                    .contains("--data-binary '@" + body.toString().replace("'", "'\\''") + "'");
            Process curl = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).isZero();
            assertThat(answer).contains("\"status\":\"applied\"");
        } finally {
            server.stop();
        }
    }
    @Test
    void invokeExplainShowsEachRuleEachValueAndTheCustomerThenTheRequest() {
        int code = run(Map.of(), "invoke", "events/stripe-customer-updated.http-api.json", "--secrets",
                "events/local-secrets.json", "--explain");
        assertThat(code).isZero();
        String o = out();
        assertThat(o).contains("# explain: integration 'stripe', event type \"customer.updated\"")
                .contains("# rule preset stripe events[0] (customer): when matched\n")
                .contains("#   customer external_id = cus_NSPHp4fOlXGw8P")
                .contains("#   plan (String) = \"growth\"\n")
                .contains("#   seats (Integer) = 12\n")
                .contains("# rule preset stripe events[1] (subscription): when did not match");
        assertThat(o.indexOf("# explain:")).isLessThan(o.indexOf("GET https://api.chartmogul.com"));
        assertThat(o).contains("# response: HTTP 200");
    }

    @Test
    void aTypoInARulePathIsNamedByExplain(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("relay.yaml");
        Files.writeString(cfg, """
                integrations:
                  stripe:
                    verify: { scheme: stripe, secret: stripe_signing_secret }
                    events:
                      - name: typo
                        when: type = "customer.updated"
                        customer: { external_id: data.object.id }
                        attributes:
                          plan:    { type: String, value: data.object.metdata.plan }
                          country: { type: String, value: data.object.address.country }
                """);
        int code = run(Map.of(), "invoke", "events/stripe-customer-updated.http-api.json", "--secrets",
                "events/local-secrets.json", "--config", cfg.toString(), "--explain");
        assertThat(code).isZero();
        assertThat(out()).contains("#   plan (String) = null: data.object has no 'metdata', left out")
                .contains("#   country (String) = \"CM\"");
    }

    @Test
    void serveExplainPrintsTheExplanationOfEachRequest() throws Exception {
        ByteArrayOutputStream served = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(served, true, StandardCharsets.UTF_8);
        Cli.Options o = Cli.Options.parse(new String[] {"--port", "0", "--dry-run", "--explain", "--secrets", "events/local-secrets.json", "--config",
                "src/main/resources/relay.yaml"}, 0);
        LocalServer server = Cli.startServer(o, Map.of(), p, p);
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port()
                            + "/webhooks/customerio")).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"metric\":\"subscribed\","
                                    + "\"object_type\":\"customer\",\"data\":{\"identifiers\":{\"email\":\"\"}}}"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401); // unsigned: the explanation still shows how it would map
            assertThat(served.toString(StandardCharsets.UTF_8)).contains("# explain: integration 'customerio'")
                    .contains("(subscription): when did not match");
        } finally {
            server.stop();
        }
    }
    @Test
    void checkConfigReadsTheSecretFromSecretsManagerWhenNamed() throws Exception {
        try (FakeSecretsManager sm = new FakeSecretsManager()) {
            sm.put("attribute-relay", "{\"chartmogul_api_key\":\"cm_DO_NOT_PRINT\",\"stripe_signing_secret\":\"whsec_DO_NOT_PRINT\"}");
            // the SDK's own endpoint setting, as AWS_ENDPOINT_URL_SECRETS_MANAGER would be
            System.setProperty("aws.endpointUrlSecretsManager", sm.url().toString());
            try {
                Map<String, String> env = Map.of("CHARTMOGUL_SECRET_ID", "attribute-relay", "AWS_REGION", "eu-west-1",
                        "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
                assertThat(run(env, "check-config")).isEqualTo(78);
            } finally {
                System.clearProperty("aws.endpointUrlSecretsManager");
            }
            assertThat(sm.reads()).isEqualTo(1);
            assertThat(err()).contains("the secrets have no key 'paddle_webhook_secret'")
                    .doesNotContain("no key 'stripe_signing_secret'").doesNotContain("DO_NOT_PRINT");
            assertThat(out()).doesNotContain("DO_NOT_PRINT");
        }
    }
    @Test
    void explainReadsAnEventBridgeEventAsTheHandlerDoes() {
        assertThat(run(Map.of(), "invoke", "events/shopify-customers-update.eventbridge.json", "--explain")).isZero();
        assertThat(out()).contains("# explain: integration 'shopify', event type \"customers/update\"")
                .contains("(customer): when matched").contains("#   customer email = ")
                .contains("# outcome: applied (200)");
    }
}
