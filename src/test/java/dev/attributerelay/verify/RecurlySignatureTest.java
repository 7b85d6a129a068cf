package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecurlySignatureTest extends SchemeContract {
    private static final String SECRET = "354fab5bd35f5a0d50845ee7e30165244468b13c2c343f104e4e730a59326d9d";

    @Override
    SignatureScheme scheme() {
        return new RecurlySignature(TOLERANCE);
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "ade46dda4474b0ae57dec22d35b9cd526b260d235f7e200c1d93f156000fe396";
    }

    @Override
    boolean signsTime() {
        return true;
    }

    @Override
    String signatureHeader() {
        return RecurlySignature.HEADER;
    }

    @Override
    Map<String, String> tamperTimestamp(Map<String, String> headers) {
        return withHeader(headers, "recurly-signature",
                h -> plusOne(h.substring(0, h.indexOf(','))) + h.substring(h.indexOf(',')));
    }

    @Test
    void recurlyClientTestDataVerifiesWithEitherSecret() {
        JsonNode data = SharedFixtures.json(SharedFixtures.sdk().resolve("recurly/webhook_test_data.json"));
        JsonNode example = data.get("derived_examples_computed_here").get(0);
        byte[] body = data.get("body").asText().getBytes(StandardCharsets.UTF_8);
        Instant at = Instant.ofEpochMilli(example.get("timestamp_ms").asLong());
        List<String> both = List.of(data.get("secret").asText(), data.get("rotated_secret").asText());
        for (String header : List.of(example.get("header_single").asText(), example.get("header_two_sigs").asText())) {
            assertThat(verify(SignedRequest.post(body).header("recurly-signature", header).inbound(), both, at))
                    .as(header).isEqualTo(Verdict.verified());
        }
        assertThat(verify(SignedRequest.post(body).header("recurly-signature", example.get("header_two_sigs").asText())
                .inbound(), List.of(data.get("rotated_secret").asText()), at)).isEqualTo(Verdict.verified());
        byte[] plusA = example.get("negative").get("body_plus_a").asText().getBytes(StandardCharsets.UTF_8);
        assertThat(verify(SignedRequest.post(plusA).header("recurly-signature", example.get("header_two_sigs").asText())
                .inbound(), both, at)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void timestampIsMillisecondsAndTheMessageIsTimestampDotBody() {
        String ms = Long.toString(NOW.toEpochMilli());
        assertThat(verifyHeader(ms + "," + Independent.hmacSha256Hex(SECRET, ms + "." + BODY))).isEqualTo(Verdict.verified());
        assertThat(sign().headers())
                .containsExactly(Map.entry("recurly-signature", ms + "," + Independent.hmacSha256Hex(SECRET, ms + "." + BODY)));
    }

    @Test
    void aSmallNumberIsReadAsSeconds() {
        String seconds = Long.toString(NOW.getEpochSecond());
        assertThat(verifyHeader(seconds + "," + Independent.hmacSha256Hex(SECRET, seconds + "." + BODY)))
                .isEqualTo(Verdict.verified());
        String old = Long.toString(NOW.getEpochSecond() - 301);
        assertRefused(verifyHeader(old + "," + Independent.hmacSha256Hex(SECRET, old + "." + BODY)), "older than");
        assertThat(RecurlySignature.signedAt("99999999999")).isEqualTo(Instant.ofEpochSecond(99_999_999_999L));
        assertThat(RecurlySignature.signedAt("100000000000")).isEqualTo(Instant.ofEpochMilli(100_000_000_000L));
    }

    @Test
    void malformedHeadersAreRefusedWithAReason() {
        String ms = Long.toString(NOW.toEpochMilli());
        String sig = Independent.hmacSha256Hex(SECRET, ms + "." + BODY);
        assertRefused(verifyHeader(sig), "timestamp");
        assertRefused(verifyHeader(sig + "," + ms), "timestamp");
        assertRefused(verifyHeader(ms), "no hex signature");
        assertRefused(verifyHeader("t=" + ms + ",v1=" + sig), "timestamp");
        assertRefused(verifyHeader(ms + "," + sig.substring(1)), "no hex signature");
    }

    @Test
    void spacesAfterCommasAreTolerated() {
        String ms = Long.toString(NOW.toEpochMilli());
        assertThat(verifyHeader(ms + ", 00ff, " + Independent.hmacSha256Hex(SECRET, ms + "." + BODY)))
                .isEqualTo(Verdict.verified());
    }
}
