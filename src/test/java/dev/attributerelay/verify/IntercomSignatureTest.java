package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntercomSignatureTest extends SchemeContract {
    private static final String SECRET = "intercom-client-secret-0123456789";

    @Override
    SignatureScheme scheme() {
        return new IntercomSignature();
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "intercom-client-secret-rotated";
    }

    @Override
    boolean signsTime() {
        return false;
    }

    @Override
    String signatureHeader() {
        return IntercomSignature.HEADER;
    }

    private static String sha1(String body) {
        return "sha1=" + Independent.hex(Independent.mac("HmacSHA1", SECRET, body));
    }

    @Test
    void signatureIsSha1PrefixedHexHmacSha1OfTheBody() {
        assertThat(verifyHeader(sha1(BODY))).isEqualTo(Verdict.verified());
        assertThat(sign().headers()).containsExactly(Map.entry("X-Hub-Signature", sha1(BODY)));
    }

    @Test
    void aSha256SignatureIsNotIntercoms() {
        String sha256 = "sha256=" + Independent.hmacSha256Hex(SECRET, BODY);
        assertRefused(verifyHeader(sha256), "sha1=");
        assertRefused(verify(SignedRequest.post(BODY).header("X-Hub-Signature-256", sha256)), "missing");
    }

    @Test
    void realNotificationVerifiesWhenSigned() {
        byte[] body = SharedFixtures.bytes(SharedFixtures.sdk().resolve("intercom/notification.json"));
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(verify(SignedRequest.post(body).header("X-Hub-Signature", sha1(text)))).isEqualTo(Verdict.verified());
    }
}
