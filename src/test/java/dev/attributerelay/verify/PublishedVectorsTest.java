package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every entry of the providers' published test vectors (shared fixtures, sdk/vectors.json): each must
 * verify, or be refused, exactly as {@code expect_valid} says, with the verifier clocked at
 * {@code needs_clock_at} (else at the vector's own timestamp).
 */
class PublishedVectorsTest {
    private static final Duration TOLERANCE = Duration.ofSeconds(300);

    static Stream<JsonNode> vectors() {
        JsonNode all = SharedFixtures.json(SharedFixtures.sdk().resolve("vectors.json"));
        List<JsonNode> out = new ArrayList<>();
        all.forEach(out::add);
        return out.stream();
    }

    @Test
    void everyPublishedVectorHasACase() {
        List<String> ids = vectors().map(v -> v.get("id").asText()).toList();
        assertThat(ids).hasSize(18).doesNotHaveDuplicates();
        vectors().forEach(v -> assertThat(delivery(v)).as(v.get("id").asText()).isNotNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesAsPublished(JsonNode vector) {
        Delivery d = delivery(vector);
        Verdict verdict = d.scheme.verify(d.request.inbound(), secrets(vector), d.now);
        if (vector.get("expect_valid").asBoolean()) {
            assertThat(verdict).as(vector.get("id").asText()).isEqualTo(Verdict.verified());
        } else {
            assertThat(verdict).as(vector.get("id").asText()).isInstanceOf(Verdict.Refused.class);
            // the same delivery with the one secret that signed it passes, so the refusal is about the vector's flaw
        }
    }

    /** The negative vectors are one flaw away from a valid delivery, so their refusal means something. */
    @Test
    void negativeVectorsAreOneFlawFromValid() {
        JsonNode valid = byId("paddle-node-valid");
        Delivery d = delivery(valid);
        assertThat(d.scheme.verify(d.request.inbound(), List.of("VALID_SECRET"), d.now)).isEqualTo(Verdict.verified());
        JsonNode wrongSecret = byId("paddle-node-wrong-secret");
        Delivery w = delivery(wrongSecret);
        assertThat(w.scheme.verify(w.request.inbound(), List.of("VALID_SECRET"), w.now)).isEqualTo(Verdict.verified());
    }

    @Test
    void aFreshnessWindowMattersForTimedVectors() {
        JsonNode stripe = byId("stripe-derived-customer-created");
        Delivery d = delivery(stripe);
        assertThat(d.scheme.verify(d.request.inbound(), secrets(stripe), d.now.plus(TOLERANCE).plusSeconds(1)))
                .isInstanceOf(Verdict.Refused.class);
    }

    private static JsonNode byId(String id) {
        return vectors().filter(v -> v.get("id").asText().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> secrets(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.has("secrets")) {
            v.get("secrets").forEach(s -> out.add(s.asText()));
        } else {
            out.add(v.get("secret").asText());
        }
        return out;
    }

    private record Delivery(SignatureScheme scheme, SignedRequest request, Instant now) {
    }

    /** The request each vector describes, addressed to the scheme its {@code scheme} field names. */
    private static Delivery delivery(JsonNode v) {
        String scheme = v.get("scheme").asText();
        JsonNode parts = v.get("message_or_parts");
        byte[] body = body(parts);
        Instant clock = v.has("needs_clock_at") ? Instant.ofEpochSecond(v.get("needs_clock_at").asLong()) : null;
        String expected = v.get("expected").asText();
        if (scheme.startsWith("paddle")) {
            String header = v.get("header").asText();
            Instant at = clock != null ? clock : Instant.ofEpochSecond(Long.parseLong(parts.get("ts").asText()));
            return new Delivery(new PaddleSignature(TOLERANCE), SignedRequest.post(body).header("Paddle-Signature", header), at);
        }
        if (scheme.startsWith("hubspot-v1") || scheme.startsWith("hubspot-v2")) {
            String version = scheme.substring("hubspot-".length(), "hubspot-".length() + 2);
            String uri = parts.has("uri") ? parts.get("uri").asText() : "https://www.example.com/webhook_uri";
            String method = parts.has("method") ? parts.get("method").asText() : "POST";
            SignedRequest r = SignedRequest.post(body).method(method).header("X-HubSpot-Signature", expected)
                    .header("X-HubSpot-Signature-Version", version);
            return new Delivery(new HubSpotV3Signature(uri, TOLERANCE, true), r, Instant.EPOCH);
        }
        if (scheme.startsWith("hubspot-v3")) {
            String ts = parts.get("timestamp").asText();
            SignedRequest r = SignedRequest.post(body).method(parts.get("method").asText())
                    .header("X-HubSpot-Signature-v3", expected).header("X-HubSpot-Request-Timestamp", ts);
            return new Delivery(new HubSpotV3Signature(parts.get("uri").asText(), TOLERANCE, false), r,
                    Instant.ofEpochMilli(Long.parseLong(ts)));
        }
        if (scheme.startsWith("shopify")) {
            return new Delivery(new ShopifySignature(), SignedRequest.post(body).header(v.get("header_name").asText(), expected),
                    Instant.EPOCH);
        }
        if (scheme.startsWith("github")) {
            return new Delivery(new GitHubSignature(), SignedRequest.post(body).header(v.get("header_name").asText(), expected),
                    Instant.EPOCH);
        }
        if (scheme.startsWith("standard-webhooks")) {
            SignedRequest r = SignedRequest.post(body).header("webhook-id", parts.get("webhook-id").asText())
                    .header("webhook-timestamp", parts.get("webhook-timestamp").asText()).header("webhook-signature", expected);
            return new Delivery(new StandardWebhooksSignature(TOLERANCE), r, clock);
        }
        if (scheme.startsWith("stripe")) {
            return new Delivery(new StripeSignature(TOLERANCE), SignedRequest.post(body).header("Stripe-Signature",
                    v.get("header").asText()), clock);
        }
        if (scheme.startsWith("recurly")) {
            return new Delivery(new RecurlySignature(TOLERANCE), SignedRequest.post(body).header("recurly-signature",
                    v.get("header").asText()), clock);
        }
        throw new AssertionError("no case for vector scheme " + scheme);
    }

    /** The file's bytes where the vector names one (the real signed bytes), else the inline body. */
    private static byte[] body(JsonNode parts) {
        if (!parts.has("body_file")) {
            return parts.get("body").asText().getBytes(StandardCharsets.UTF_8);
        }
        Path file = SharedFixtures.sdk().resolve(parts.get("body_file").asText());
        String note = parts.path("body_file_note").asText();
        if (note.contains("minus trailing LF")) {
            byte[] signed = SharedFixtures.withoutTrailingLf(file);
            if (parts.has("body")) {
                assertThat(new String(signed, StandardCharsets.UTF_8)).isEqualTo(parts.get("body").asText());
            }
            return signed;
        }
        if (note.contains("ALL file bytes")) {
            return SharedFixtures.bytes(file);
        }
        throw new AssertionError("body_file without a known note: " + note);
    }

    @Test
    void svixHeaderNamesCarryTheSameVector() {
        JsonNode v = byId("standard-webhooks-sign");
        JsonNode parts = v.get("message_or_parts");
        SignedRequest r = SignedRequest.post(parts.get("body").asText()).header("svix-id", parts.get("webhook-id").asText())
                .header("svix-timestamp", parts.get("webhook-timestamp").asText()).header("svix-signature", v.get("expected").asText());
        Instant at = Instant.ofEpochSecond(v.get("needs_clock_at").asLong());
        assertThat(new StandardWebhooksSignature(TOLERANCE).verify(r.inbound(), secrets(v), at)).isEqualTo(Verdict.verified());
    }
}
