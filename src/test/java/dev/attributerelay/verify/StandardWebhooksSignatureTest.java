package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardWebhooksSignatureTest extends SchemeContract {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    private static final String TS = Long.toString(NOW.getEpochSecond());

    @Override
    SignatureScheme scheme() {
        return new StandardWebhooksSignature(TOLERANCE);
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "whsec_" + Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    boolean signsTime() {
        return true;
    }

    @Override
    String signatureHeader() {
        return "webhook-signature";
    }

    @Override
    Map<String, String> tamperTimestamp(Map<String, String> headers) {
        return withHeader(headers, "webhook-timestamp", SchemeContract::plusOne);
    }

    private static String v1(String id, String ts, String body) {
        return "v1," + Base64.getEncoder().encodeToString(Independent.mac("HmacSHA256", KEY, id + "." + ts + "." + body));
    }

    private static SignedRequest request(String prefix, String id, String signature) {
        return SignedRequest.post(BODY).header(prefix + "-id", id).header(prefix + "-timestamp", TS)
                .header(prefix + "-signature", signature);
    }

    @Test
    void signatureIsBase64HmacOfIdTimestampBodyWithTheDecodedKey() {
        assertThat(verify(request("webhook", "msg_1", v1("msg_1", TS, BODY)))).isEqualTo(Verdict.verified());
        Signed s = scheme().sign(SignRequest.post(URL, BODY.getBytes(StandardCharsets.UTF_8), SECRET, NOW).withId("msg_1"));
        assertThat(s.headers()).containsExactly(Map.entry("webhook-id", "msg_1"), Map.entry("webhook-timestamp", TS),
                Map.entry("webhook-signature", v1("msg_1", TS, BODY)));
    }

    @Test
    void svixHeaderNamesAreAccepted() {
        assertThat(verify(request("svix", "msg_1", v1("msg_1", TS, BODY)))).isEqualTo(Verdict.verified());
        assertThat(verify(request("Svix", "msg_1", v1("msg_1", TS, BODY)).withMixedCaseHeaders())).isEqualTo(Verdict.verified());
    }

    @Test
    void completeSvixHeadersWinOverWebhookHeadersAsInSvixsLibrary() {
        SignedRequest both = request("svix", "msg_1", v1("msg_1", TS, BODY))
                .header("webhook-id", "msg_2").header("webhook-timestamp", TS).header("webhook-signature", "v1,AAAA");
        assertThat(verify(both)).isEqualTo(Verdict.verified());
        SignedRequest incompleteSvix = request("webhook", "msg_2", v1("msg_2", TS, BODY)).header("svix-signature", "v1,AAAA");
        assertThat(verify(incompleteSvix)).isEqualTo(Verdict.verified());
        assertRefused(verify(SignedRequest.post(BODY).header("svix-signature", v1("msg_1", TS, BODY))
                .header("svix-timestamp", TS)), "svix-id header is missing");
    }

    @Test
    void anyOfSeveralSpaceSeparatedSignaturesMayMatchAndOtherVersionsAreIgnored() {
        String good = v1("msg_1", TS, BODY);
        assertThat(verify(request("webhook", "msg_1", "v1,AAAA v2," + good.substring(3) + " " + good)))
                .isEqualTo(Verdict.verified());
        assertRefused(verify(request("webhook", "msg_1", "v1a," + good.substring(3))), "no v1 signature");
        assertRefused(verify(request("webhook", "msg_1", "v2," + good.substring(3))), "no v1 signature");
    }

    @Test
    void theIdIsSigned() {
        assertThat(verify(request("webhook", "msg_2", v1("msg_1", TS, BODY)))).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void aSecretWithoutThePrefixIsTheSameKeyAndANonBase64SecretIsReported() {
        String bare = SECRET.substring("whsec_".length());
        SignedRequest r = request("webhook", "msg_1", v1("msg_1", TS, BODY));
        assertThat(verify(r.inbound(), List.of(bare), NOW)).isEqualTo(Verdict.verified());
        assertRefused(verify(r.inbound(), List.of("whsec_!!not base64!!"), NOW), "not a base64 whsec_ secret");
        assertThat(verify(r.inbound(), List.of("whsec_!!not base64!!", SECRET), NOW)).isEqualTo(Verdict.verified());
    }

    @Test
    void malformedTimestampsAreRefusedWithAReason() {
        for (String ts : List.of("", "abc", "+" + TS, "-1", TS + ".0", " " + TS, "99999999999999999")) {
            SignedRequest r = SignedRequest.post(BODY).header("webhook-id", "msg_1").header("webhook-timestamp", ts)
                    .header("webhook-signature", v1("msg_1", ts, BODY));
            assertRefused(verify(r), "webhook-timestamp");
        }
    }
}
