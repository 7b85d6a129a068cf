package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaddleSignatureTest extends SchemeContract {
    private static final String SECRET = "pdl_ntfset_01hs0t3tw21j988db1pam5xg8m_testsecretA";
    private static final String TS = Long.toString(NOW.getEpochSecond());

    @Override
    SignatureScheme scheme() {
        return new PaddleSignature(TOLERANCE);
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "pdl_ntfset_01hs0t3tw21j988db1pam5xg8m_testsecretB";
    }

    @Override
    boolean signsTime() {
        return true;
    }

    @Override
    String signatureHeader() {
        return PaddleSignature.HEADER;
    }

    @Override
    Map<String, String> tamperTimestamp(Map<String, String> headers) {
        return withHeader(headers, PaddleSignature.HEADER,
                h -> "ts=" + plusOne(h.substring(3, h.indexOf(';'))) + h.substring(h.indexOf(';')));
    }

    private static String h1(String ts, String body) {
        return Independent.hmacSha256Hex(SECRET, ts + ":" + body);
    }

    @Test
    void realSignedBodiesVerifyAfterStrippingTheTrailingLf() {
        Path paddle = SharedFixtures.sdk().resolve("paddle");
        JsonNode meta = SharedFixtures.json(paddle.resolve("signatures.meta.json"));
        assertThat(meta.get("cases")).hasSize(2);
        for (JsonNode c : meta.get("cases")) {
            Path file = paddle.resolve(c.get("body_file").asText());
            String header = c.get("headers").get("Paddle-Signature").asText();
            Instant at = Instant.ofEpochSecond(c.get("ts").asLong());
            List<String> secrets = List.of(meta.get("secret").asText());
            var signedBytes = SharedFixtures.withoutTrailingLf(file);
            assertThat(signedBytes).hasSize(c.get("signed_body_bytes").asInt());
            assertThat(verify(SignedRequest.post(signedBytes).header("Paddle-Signature", header).inbound(), secrets, at))
                    .as(file.getFileName().toString()).isEqualTo(Verdict.verified());
            assertThat(verify(SignedRequest.post(SharedFixtures.bytes(file)).header("Paddle-Signature", header).inbound(),
                    secrets, at)).as("with the trailing LF").isInstanceOf(Verdict.Refused.class);
        }
    }

    @Test
    void signatureIsTheHexHmacOfTimestampColonBody() {
        assertThat(verifyHeader("ts=" + TS + ";h1=" + h1(TS, BODY))).isEqualTo(Verdict.verified());
        assertThat(verifyHeader("ts=" + TS + ";h1=" + Independent.hmacSha256Hex(SECRET, TS + "." + BODY)))
                .as("Stripe's dot instead of Paddle's colon").isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void unknownKeysAreIgnoredAndAnyH1MayMatch() {
        String good = h1(TS, BODY);
        assertThat(verifyHeader("ts=" + TS + ";h1=dummy;h1=" + good + ";h2=RANDOM")).isEqualTo(Verdict.verified());
        assertThat(verifyHeader("ts=" + TS + ";h2=" + good)).satisfies(v -> assertRefused(v, "no h1"));
    }

    @Test
    void spacesAroundItemsAreTolerated() {
        assertThat(verifyHeader("ts=" + TS + "; h1=" + h1(TS, BODY))).isEqualTo(Verdict.verified());
    }

    @Test
    void malformedHeadersAreRefusedWithAReason() {
        assertRefused(verifyHeader("h1=" + h1(TS, BODY)), "timestamp");
        assertRefused(verifyHeader("ts=abc;h1=" + h1("abc", BODY)), "timestamp");
        assertRefused(verifyHeader("ts=-" + TS + ";h1=" + h1("-" + TS, BODY)), "timestamp");
        assertRefused(verifyHeader("ts=" + TS), "no h1");
        assertRefused(verifyHeader("ts=" + TS + ";h1=" + h1(TS, BODY).substring(0, 40)), "no Paddle signature");
        assertRefused(verify(SignedRequest.post(BODY)), "missing");
    }

    @Test
    void theFirstTimestampCounts() {
        String later = Long.toString(NOW.getEpochSecond() + 10);
        assertThat(verifyHeader("ts=" + TS + ";ts=" + later + ";h1=" + h1(later, BODY))).isInstanceOf(Verdict.Refused.class);
        assertThat(verifyHeader("ts=" + TS + ";ts=" + later + ";h1=" + h1(TS, BODY))).isEqualTo(Verdict.verified());
    }

    @Test
    void signProducesPaddlesHeader() {
        Signed s = sign();
        assertThat(s.headers()).containsExactly(Map.entry("Paddle-Signature", "ts=" + TS + ";h1=" + h1(TS, BODY)));
        assertThat(s.url()).isEqualTo(URL);
    }
}
