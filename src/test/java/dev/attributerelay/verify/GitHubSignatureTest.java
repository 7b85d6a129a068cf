package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitHubSignatureTest extends SchemeContract {
    private static final String SECRET = "It's a Secret to Everybody, rotated";

    @Override
    SignatureScheme scheme() {
        return new GitHubSignature();
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "another webhook secret";
    }

    @Override
    boolean signsTime() {
        return false;
    }

    @Override
    String signatureHeader() {
        return GitHubSignature.HEADER;
    }

    @Test
    void signatureIsSha256PrefixedHexHmacOfTheBody() {
        String good = "sha256=" + Independent.hmacSha256Hex(SECRET, BODY);
        assertThat(verifyHeader(good)).isEqualTo(Verdict.verified());
        assertThat(sign().headers()).containsExactly(Map.entry("X-Hub-Signature-256", good));
    }

    @Test
    void theSha1HeaderAloneIsNotEnough() {
        String sha1 = "sha1=" + Independent.hex(Independent.mac("HmacSHA1", SECRET, BODY));
        assertRefused(verify(SignedRequest.post(BODY).header("X-Hub-Signature", sha1)), "X-Hub-Signature-256 header is missing");
    }

    @Test
    void aMissingOrWrongPrefixIsRefused() {
        String hex = Independent.hmacSha256Hex(SECRET, BODY);
        assertRefused(verifyHeader(hex), "sha256=");
        assertRefused(verifyHeader("sha1=" + hex), "sha256=");
        assertRefused(verifyHeader("sha256="), "sha256=");
    }

    /**
     * Deliberate leniency: the hex digits are decoded and the MAC bytes compared, so upper-case hex (which
     * GitHub never sends) passes. It denotes the same MAC, so nothing can be forged with it.
     */
    @Test
    void upperCaseHexDenotesTheSameMac() {
        String upper = Independent.hmacSha256Hex(SECRET, BODY).toUpperCase(Locale.ROOT);
        assertThat(verifyHeader("sha256=" + upper)).isEqualTo(Verdict.verified());
    }

    @Test
    void realPingPayloadVerifiesWhenSigned() {
        byte[] ping = SharedFixtures.bytes(SharedFixtures.sdk().resolve("github/ping.payload.json"));
        String sig = "sha256=" + Independent.hex(Independent.mac("HmacSHA256", SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new String(ping, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(verify(SignedRequest.post(ping).header("X-Hub-Signature-256", sig))).isEqualTo(Verdict.verified());
    }
}
