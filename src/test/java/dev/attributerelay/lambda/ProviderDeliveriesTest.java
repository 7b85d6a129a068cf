package dev.attributerelay.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Rule;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.RelayHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Each provider's real capture (events/, bodies from the shared captures), signed with its own scheme, through the
 * bundled relay.yaml: it must reach ChartMogul exactly as the preset tests pin it unsigned, and one changed byte
 * must stop it at 401 with no call.
 */
class ProviderDeliveriesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_KEY = "cm_key";

    static String bundledYaml() throws Exception {
        return new String(ConfigLoader.class.getClassLoader().getResourceAsStream("relay.yaml").readAllBytes(),
                StandardCharsets.UTF_8);
    }

    static String secrets() throws Exception {
        ObjectNode s = (ObjectNode) JSON.readTree(Files.readString(Path.of("events/local-secrets.json")));
        s.put("chartmogul_api_key", API_KEY);
        return s.toString();
    }

    /** A harness whose clock stands at the moment the sample was received, with every preset attribute defined. */
    static RelayHarness harness(String yaml, JsonNode event) throws Exception {
        Instant received = Instant.ofEpochMilli(event.path("requestContext").path("timeEpoch").asLong());
        RelayHarness h = new RelayHarness(yaml, secrets(), Clock.fixed(received, ZoneOffset.UTC));
        h.chartmogul.acceptKey(API_KEY);
        for (Integration i : ConfigLoader.parse("relay.yaml", yaml).integrations().values()) {
            for (Rule r : i.rules()) {
                r.attributes().forEach(a -> h.chartmogul.defined(a.key(), a.type().name()));
            }
        }
        return h;
    }

    /** The same configuration with every integration unsigned: what the preset tests run. */
    static String unsigned(String yaml) {
        return yaml.replaceAll("(?m)^    verify:.*(\\n      .*)*", "    verify: { scheme: none, allow_unsigned: true }");
    }

    @TestFactory
    Stream<DynamicTest> signedCapturesReachChartMogulExactlyAsUnsignedOnes() throws Exception {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            samples = files.filter(p -> p.toString().endsWith(".http-api.json")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(8);
        String yaml = bundledYaml();
        assertThat(unsigned(yaml)).doesNotContain("scheme: stripe").doesNotContain("public_url").contains("allow_unsigned");
        return samples.stream().map(sample -> DynamicTest.dynamicTest(sample.getFileName().toString(), () -> {
            JsonNode event = JSON.readTree(sample.toFile());
            List<String> signed;
            List<String> plain;
            try (RelayHarness h = harness(yaml, event)) {
                h.chartmogul.everyLookupFinds("cus_target");
                RelayHarness.Reply r = h.invoke(event.toString());
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                assertThat(h.chartmogul.requests("PUT")).hasSize(1);
                signed = requests(h.chartmogul);
            }
            try (RelayHarness h = harness(unsigned(yaml), event)) {
                h.chartmogul.everyLookupFinds("cus_target");
                h.invoke(event.toString());
                plain = requests(h.chartmogul);
            }
            assertThat(signed).isNotEmpty().isEqualTo(plain);

            try (RelayHarness h = harness(yaml, event)) {
                RelayHarness.Reply tampered = h.invoke(tamper(event).toString());
                assertThat(tampered.status()).as(tampered.toString()).isEqualTo(401);
                assertThat(h.chartmogul.requests()).isEmpty();
            }
        }));
    }

    /** Every request as method, path, query and body: the exact wire content. */
    static List<String> requests(FakeChartMogul cm) {
        return cm.requests().stream().map(r -> r.method() + " " + r.path() + " " + r.query() + " " + r.body()).toList();
    }

    /**
     * One byte of the body changed; where the credential is not a signature of the body (Mailchimp's token in
     * the URL, Chargebee's Basic auth) the credential is changed instead.
     */
    static JsonNode tamper(JsonNode event) {
        ObjectNode e = event.deepCopy();
        if (e.path("headers").has("authorization")) {
            ((ObjectNode) e.get("headers")).put("authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("relay:wrong".getBytes(StandardCharsets.UTF_8)));
            return e;
        }
        if (e.path("rawQueryString").asText().contains("token=")) {
            e.put("rawQueryString", e.path("rawQueryString").asText().replace("token=", "token=x"));
            return e;
        }
        if (e.path("isBase64Encoded").asBoolean()) {
            byte[] body = Base64.getDecoder().decode(e.path("body").asText());
            body[body.length / 2] ^= 1;
            e.put("body", Base64.getEncoder().encodeToString(body));
        } else {
            String body = e.path("body").asText();
            e.put("body", body.replaceFirst("\"", "\" "));
        }
        return e;
    }

    @Test
    void mailchimpsGetOnSaveIsAnsweredWhenTheTokenMatches() throws Exception {
        JsonNode sample = JSON.readTree(Path.of("events/mailchimp-subscribe.http-api.json").toFile());
        String token = JSON.readTree(secrets()).path("mailchimp_token").asText();
        try (RelayHarness h = harness(bundledYaml(), sample)) {
            RelayHarness.Reply ok = h.invoke(Events.post("/webhooks/mailchimp", null).method("GET").query("token=" + token)
                    .receivedAt(Instant.now()).httpApi());
            RelayHarness.Reply wrong = h.invoke(Events.post("/webhooks/mailchimp", null).method("GET").query("token=nope")
                    .httpApi());
            RelayHarness.Reply notAllowed = h.invoke(Events.post("/webhooks/stripe", null).method("GET").httpApi());
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body().path("status").asText()).isEqualTo("ignored");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(h.chartmogul.requests()).isEmpty();
        }
    }

    @Test
    void intercomsPingIsAnsweredIgnoredWithoutACall() throws Exception {
        JsonNode sample = JSON.readTree(Path.of("events/intercom-user-created.http-api.json").toFile());
        String secret = JSON.readTree(secrets()).path("intercom_client_secret").asText();
        String ping = "{\"type\":\"notification_event\",\"topic\":\"ping\",\"id\":\"notif_ping\","
                + "\"data\":{\"item\":{\"type\":\"ping\",\"message\":\"something\"}}}";
        String signature = "sha1=" + java.util.HexFormat.of().formatHex(hmacSha1(secret, ping));
        try (RelayHarness h = harness(bundledYaml(), sample)) {
            RelayHarness.Reply r = h.invoke(Events.post("/webhooks/intercom", ping).header("Content-Type", "application/json")
                    .header("X-Hub-Signature", signature)
                    .receivedAt(Instant.ofEpochMilli(sample.path("requestContext").path("timeEpoch").asLong())).httpApi());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().path("status").asText()).isEqualTo("ignored");
            assertThat(h.chartmogul.requests()).isEmpty();
        }
    }

    static byte[] hmacSha1(String key, String message) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}
