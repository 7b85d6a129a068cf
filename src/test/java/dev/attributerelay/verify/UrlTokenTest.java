package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UrlTokenTest extends SchemeContract {
    private static final String SECRET = "mc-token-9f8e7d6c5b4a&=+/ ü";

    @Override
    SignatureScheme scheme() {
        return new UrlToken();
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "mc-token-rotated";
    }

    @Override
    boolean signsTime() {
        return false;
    }

    @Override
    String signatureHeader() {
        return null;
    }

    @Override
    boolean signsBody() {
        return false;
    }

    @Test
    void signAddsTheTokenToTheQueryString() {
        Signed s = scheme().sign(SignRequest.post(URL, new byte[0], "abc", NOW));
        assertThat(s.url()).isEqualTo(URL + "?token=abc");
        assertThat(s.headers()).isEmpty();
        assertThat(scheme().sign(SignRequest.post(URL + "?x=1", new byte[0], "a b&c", NOW)).url())
                .isEqualTo(URL + "?x=1&token=a+b%26c");
        assertThat(s.toString()).doesNotContain("abc");
    }

    @Test
    void theTokenMustMatchExactly() {
        assertThat(verify(SignedRequest.post(BODY).query("token", SECRET))).isEqualTo(Verdict.verified());
        assertRefused(verify(SignedRequest.post(BODY).query("token", SECRET + "x")), "does not match");
        assertRefused(verify(SignedRequest.post(BODY).query("token", SECRET.toUpperCase())), "does not match");
        assertRefused(verify(SignedRequest.post(BODY).query("token", "")), "missing");
        assertRefused(verify(SignedRequest.post(BODY).query("Token", SECRET)), "missing");
        assertRefused(verify(SignedRequest.post(BODY).header("token", SECRET)), "missing");
    }

    @Test
    void onlyOneGuessPerRequest() {
        assertRefused(verify(SignedRequest.post(BODY).query("token", "guess").query("token", SECRET)), "more than once");
    }

    @Test
    void mailchimpsGetOnSaveIsAHandshakeThatStillNeedsTheToken() {
        SignedRequest get = SignedRequest.post("").method("GET").query("token", SECRET);
        assertThat(scheme().isHandshake(get.inbound())).isTrue();
        assertThat(verify(get)).isEqualTo(Verdict.verified());
        SignedRequest bare = SignedRequest.post("").method("GET");
        assertThat(scheme().isHandshake(bare.inbound())).isTrue();
        assertRefused(verify(bare), "missing");
        assertThat(scheme().isHandshake(SignedRequest.post(BODY).query("token", SECRET).inbound())).isFalse();
    }
}
