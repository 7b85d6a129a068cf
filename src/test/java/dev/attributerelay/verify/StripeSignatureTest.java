package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StripeSignatureTest extends SchemeContract {
    private static final String SECRET = "whsec_test_0123456789abcdefghijklmnop";
    private static final String TS = Long.toString(NOW.getEpochSecond());

    @Override
    SignatureScheme scheme() {
        return new StripeSignature(TOLERANCE);
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "whsec_test_rotated_abcdefghijklmnop";
    }

    @Override
    boolean signsTime() {
        return true;
    }

    @Override
    String signatureHeader() {
        return StripeSignature.HEADER;
    }

    @Override
    Map<String, String> tamperTimestamp(Map<String, String> headers) {
        return withHeader(headers, "Stripe-Signature",
                h -> "t=" + plusOne(h.substring(2, h.indexOf(','))) + h.substring(h.indexOf(',')));
    }

    private static String v1(String t, String body) {
        return Independent.hmacSha256Hex(SECRET, t + "." + body);
    }

    @Test
    void signatureIsTheHexHmacOfTimestampDotBody() {
        assertThat(verifyHeader("t=" + TS + ",v1=" + v1(TS, BODY))).isEqualTo(Verdict.verified());
        assertThat(sign().headers()).containsExactly(Map.entry("Stripe-Signature", "t=" + TS + ",v1=" + v1(TS, BODY)));
    }

    @Test
    void v0AndUnknownSchemesAreIgnored() {
        assertThat(verifyHeader("t=" + TS + ",v0=" + v1(TS, BODY) + ",v1=" + v1(TS, BODY))).isEqualTo(Verdict.verified());
        assertRefused(verifyHeader("t=" + TS + ",v0=" + v1(TS, BODY)), "no v1 signature");
    }

    @Test
    void theFirstTimestampCountsAsInStripesLibraries() {
        String later = Long.toString(NOW.getEpochSecond() + 5);
        assertThat(verifyHeader("t=" + TS + ",t=" + later + ",v1=" + v1(later, BODY))).isInstanceOf(Verdict.Refused.class);
        assertThat(verifyHeader("t=" + TS + ",t=" + later + ",v1=" + v1(TS, BODY))).isEqualTo(Verdict.verified());
    }

    @Test
    void malformedHeadersAreRefusedWithAReason() {
        assertRefused(verifyHeader("v1=" + v1(TS, BODY)), "timestamp");
        assertRefused(verifyHeader("t=abc,v1=" + v1("abc", BODY)), "timestamp");
        assertRefused(verifyHeader("t=" + TS), "no v1 signature");
        assertRefused(verifyHeader("t=" + TS + ",v1=" + v1(TS, BODY).substring(2)), "no Stripe signature");
    }
}
