package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopifySignatureTest extends SchemeContract {
    private static final String SECRET = "shpss_0123456789abcdef0123456789abcdef";

    @Override
    SignatureScheme scheme() {
        return new ShopifySignature();
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "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";
    }

    @Override
    boolean signsTime() {
        return false;
    }

    @Override
    String signatureHeader() {
        return ShopifySignature.HEADER;
    }

    @Test
    void signatureIsTheBase64HmacOfTheBody() {
        String good = Independent.hmacSha256Base64(SECRET, BODY);
        assertThat(verifyHeader(good)).isEqualTo(Verdict.verified());
        assertThat(sign().headers()).containsExactly(Map.entry("X-Shopify-Hmac-Sha256", good));
    }

    @Test
    void hexInsteadOfBase64IsRefused() {
        assertThat(verifyHeader(Independent.hmacSha256Hex(SECRET, BODY))).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void truncatedOrGarbledSignaturesAreRefused() {
        String good = Independent.hmacSha256Base64(SECRET, BODY);
        assertRefused(verifyHeader(good.substring(0, 20)), "no Shopify signature");
        assertRefused(verifyHeader("!!" + good), "not base64");
    }

    @Test
    void repeatedHeaderJoinedByApiGatewayStillMatches() {
        assertThat(verifyHeader("AAAA," + Independent.hmacSha256Base64(SECRET, BODY))).isEqualTo(Verdict.verified());
    }
}
