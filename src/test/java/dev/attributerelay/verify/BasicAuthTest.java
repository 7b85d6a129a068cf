package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicAuthTest extends SchemeContract {
    private static final String SECRET = "chargebee:s3cret-pass:with-colon";

    @Override
    SignatureScheme scheme() {
        return new BasicAuth();
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "chargebee:rotated-password";
    }

    @Override
    boolean signsTime() {
        return false;
    }

    @Override
    String signatureHeader() {
        return BasicAuth.HEADER;
    }

    private static String basic(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicCredentialsMatchingUserColonPasswordVerify() {
        assertThat(verifyHeader("Basic " + basic(SECRET))).isEqualTo(Verdict.verified());
        assertThat(verifyHeader("basic " + basic(SECRET))).as("scheme name is case-insensitive")
                .isEqualTo(Verdict.verified());
        assertThat(scheme().sign(SignRequest.post(URL, new byte[0], SECRET, NOW)).headers())
                .containsExactly(Map.entry("Authorization", "Basic " + basic(SECRET)));
    }

    @Test
    void theBodyIsNotSignedSoAnyBodyPassesWithTheRightCredentials() {
        assertThat(verify(SignedRequest.post("anything").header("Authorization", "Basic " + basic(SECRET))))
                .isEqualTo(Verdict.verified());
    }

    @Override
    boolean signsBody() {
        return false;
    }

    @Test
    void wrongUserOrPasswordIsRefused() {
        assertRefused(verifyHeader("Basic " + basic("chargebee:wrong")), "do not match");
        assertRefused(verifyHeader("Basic " + basic("other:s3cret-pass:with-colon")), "do not match");
        assertRefused(verifyHeader("Basic " + basic(SECRET + " ")), "do not match");
        assertRefused(verifyHeader("Basic " + basic(SECRET.substring(0, SECRET.length() - 1))), "do not match");
    }

    @Test
    void otherAuthorizationSchemesAreRefused() {
        assertRefused(verifyHeader("Bearer " + basic(SECRET)), "not Basic");
        assertRefused(verifyHeader(basic(SECRET)), "not Basic");
        assertRefused(verifyHeader("Basic %%%"), "not Basic");
        assertRefused(verify(SignedRequest.post(BODY)), "missing");
    }

    @Test
    void onlyOneGuessPerRequest() {
        SignedRequest r = SignedRequest.post(BODY).header("Authorization", "Basic " + basic("x:y"))
                .header("Authorization", "Basic " + basic(SECRET));
        assertRefused(verify(r), "more than once");
    }
}
