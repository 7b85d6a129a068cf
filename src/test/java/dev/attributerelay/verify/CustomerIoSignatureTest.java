package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerIoSignatureTest extends SchemeContract {
    private static final String SECRET = "cio-webhook-signing-key-0123456789abcdef";
    private static final String TS = Long.toString(NOW.getEpochSecond());

    @Override
    SignatureScheme scheme() {
        return new CustomerIoSignature(TOLERANCE);
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "cio-webhook-signing-key-rotated";
    }

    @Override
    boolean signsTime() {
        return true;
    }

    @Override
    String signatureHeader() {
        return CustomerIoSignature.SIGNATURE;
    }

    @Override
    Map<String, String> tamperTimestamp(Map<String, String> headers) {
        return withHeader(headers, "X-CIO-Timestamp", SchemeContract::plusOne);
    }

    private Verdict verify(String timestamp, String signature) {
        SignedRequest r = SignedRequest.post(BODY);
        if (timestamp != null) {
            r.header("X-CIO-Timestamp", timestamp);
        }
        if (signature != null) {
            r.header("X-CIO-Signature", signature);
        }
        return verify(r);
    }

    @Test
    void signatureIsTheHexHmacOfV0TimestampBody() {
        String good = Independent.hmacSha256Hex(SECRET, "v0:" + TS + ":" + BODY);
        assertThat(verify(TS, good)).isEqualTo(Verdict.verified());
        assertThat(sign().headers())
                .containsEntry("X-CIO-Timestamp", TS).containsEntry("X-CIO-Signature", good).hasSize(2);
    }

    @Test
    void theVersionPrefixIsPartOfTheMessage() {
        assertThat(verify(TS, Independent.hmacSha256Hex(SECRET, TS + ":" + BODY))).isInstanceOf(Verdict.Refused.class);
        assertThat(verify(TS, Independent.hmacSha256Hex(SECRET, BODY))).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void missingOrMalformedHeadersAreRefusedWithAReason() {
        String good = Independent.hmacSha256Hex(SECRET, "v0:" + TS + ":" + BODY);
        assertRefused(verify(null, good), "X-CIO-Timestamp header is missing");
        assertRefused(verify(TS, null), "X-CIO-Signature header is missing");
        assertRefused(verify(TS + "000", good), "no Customer.io signature");
        assertRefused(verify("yesterday", good), "not whole seconds");
        assertRefused(verify(TS, "v0=" + good), "not hex");
    }
}
