package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubSpotV3SignatureTest extends SchemeContract {
    private static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-000000000001";
    private static final String TS = Long.toString(NOW.toEpochMilli());

    @Override
    SignatureScheme scheme() {
        return new HubSpotV3Signature(URL, TOLERANCE, false);
    }

    private static SignatureScheme withLegacy() {
        return new HubSpotV3Signature(URL, TOLERANCE, true);
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    String otherSecret() {
        return "yyyyyyyy-yyyy-yyyy-yyyy-000000000002";
    }

    @Override
    boolean signsTime() {
        return true;
    }

    @Override
    String signatureHeader() {
        return HubSpotV3Signature.SIGNATURE_V3;
    }

    @Override
    Map<String, String> tamperTimestamp(Map<String, String> headers) {
        return withHeader(headers, "X-HubSpot-Request-Timestamp", SchemeContract::plusOne);
    }

    /** The v3 headers computed by hand for a given signed URI. */
    private static SignedRequest v3(String method, String signedUri, String body) {
        return SignedRequest.post(body).method(method)
                .header("X-HubSpot-Signature-v3", Independent.hmacSha256Base64(SECRET, method + signedUri + body + TS))
                .header("X-HubSpot-Request-Timestamp", TS);
    }

    private static Verdict verifyWith(SignatureScheme scheme, SignedRequest r) {
        return scheme.verify(r.inbound(), List.of(SECRET), NOW);
    }

    @Test
    void signatureIsTheBase64HmacOfMethodUriBodyTimestamp() {
        assertThat(verify(v3("POST", URL, BODY))).isEqualTo(Verdict.verified());
        Signed s = sign();
        assertThat(s.headers()).containsEntry("X-HubSpot-Request-Timestamp", TS)
                .containsEntry("X-HubSpot-Signature-v3", Independent.hmacSha256Base64(SECRET, "POST" + URL + BODY + TS));
    }

    @Test
    void theMethodIsSigned() {
        SignedRequest signedAsPost = v3("POST", URL, BODY).method("PUT");
        assertThat(verify(signedAsPost)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void theConfiguredPublicUrlIsWhatIsSigned() {
        SignedRequest r = v3("POST", "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/test", BODY);
        assertRefused(verify(r), "public_url");
        SignatureScheme other = new HubSpotV3Signature("https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/test",
                TOLERANCE, false);
        assertThat(verifyWith(other, r)).isEqualTo(Verdict.verified());
    }

    @Test
    void aPublicUrlWithAQueryStringIsUsedVerbatim() {
        String registered = "https://hooks.example.com/webhooks/crm?source=hubspot&b=2";
        SignatureScheme scheme = new HubSpotV3Signature(registered, TOLERANCE, false);
        SignedRequest r = v3("POST", registered, BODY).query("b", "2").query("source", "hubspot");
        assertThat(verifyWith(scheme, r)).isEqualTo(Verdict.verified());
    }

    @Test
    void theRequestsQueryStringIsAppendedInArrivalOrder() {
        SignedRequest r = v3("POST", URL + "?portalId=62515&app=relay", BODY).query("portalId", "62515").query("app", "relay");
        assertThat(verify(r)).isEqualTo(Verdict.verified());
        SignedRequest reordered = v3("POST", URL + "?portalId=62515&app=relay", BODY).query("app", "relay").query("portalId", "62515");
        assertThat(verify(reordered)).isInstanceOf(Verdict.Refused.class);
        assertThat(verify(v3("POST", URL, BODY).query("portalId", "62515"))).as("query not signed")
                .isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void hubSpotsListedEscapesAreDecodedOthersKept() {
        // ':' '@' ',' '/' are among the characters HubSpot decodes; a space stays %20
        String signedUri = URL + "?email=ada@example.com&at=10:00&path=/a,b&note=a%20b";
        SignedRequest r = v3("POST", signedUri, BODY).query("email", "ada@example.com").query("at", "10:00")
                .query("path", "/a,b").query("note", "a b");
        assertThat(verify(r)).isEqualTo(Verdict.verified());
        assertThat(HubSpotV3Signature.v3Uri("https://h.example.com/a%3Ab%2fc%3F%40%21%24%27%28%29%2A%2C%3B%20%25", Map.of()))
                .isEqualTo("https://h.example.com/a:b/c?@!$'()*,;%20%25");
    }

    @Test
    void signThenVerifyWithAQueryString() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        Signed s = scheme().sign(SignRequest.post(URL + "?portalId=1&x=a%20b%3A", body, SECRET, NOW));
        assertThat(verify(SignedRequest.of(s, body))).isEqualTo(Verdict.verified());
        assertThat(s.headers().get("X-HubSpot-Signature-v3"))
                .isEqualTo(Independent.hmacSha256Base64(SECRET, "POST" + URL + "?portalId=1&x=a%20b:" + BODY + TS));
    }

    @Test
    void aTimestampInSecondsIsReadAsMillisecondsAndSoIsStale() {
        String seconds = Long.toString(NOW.getEpochSecond());
        SignedRequest r = SignedRequest.post(BODY)
                .header("X-HubSpot-Signature-v3", Independent.hmacSha256Base64(SECRET, "POST" + URL + BODY + seconds))
                .header("X-HubSpot-Request-Timestamp", seconds);
        assertRefused(verify(r), "older than");
    }

    @Test
    void missingOrMalformedHeadersAreRefusedWithAReason() {
        assertRefused(verify(v3("POST", URL, BODY).without("X-HubSpot-Request-Timestamp")), "X-HubSpot-Request-Timestamp header is missing");
        assertRefused(verify(v3("POST", URL, BODY).setHeader("X-HubSpot-Request-Timestamp", "1.7e12")), "not whole milliseconds");
        assertRefused(verify(v3("POST", URL, BODY).setHeader("X-HubSpot-Signature-v3", "%%%")), "not base64");
        assertRefused(verify(SignedRequest.post(BODY)), "X-HubSpot-Signature-v3 header is missing");
    }

    // ---- legacy v1 / v2 ----------------------------------------------------------------------

    private static SignedRequest legacy(String version, String signature) {
        return SignedRequest.post(BODY).header("X-HubSpot-Signature", signature).header("X-HubSpot-Signature-Version", version);
    }

    @Test
    void legacySignaturesAreRefusedUnlessConfigured() {
        SignedRequest v1 = legacy("v1", Independent.sha256Hex(SECRET + BODY));
        assertRefused(verify(v1), "legacy_versions");
        assertThat(verifyWith(withLegacy(), v1)).isEqualTo(Verdict.verified());
    }

    @Test
    void legacyV1IsSha256OfSecretAndBody() {
        assertThat(verifyWith(withLegacy(), legacy("v1", Independent.sha256Hex(SECRET + BODY)))).isEqualTo(Verdict.verified());
        assertThat(verifyWith(withLegacy(), legacy("v1", Independent.sha256Hex(SECRET + BODY + " "))))
                .isInstanceOf(Verdict.Refused.class);
        assertThat(verifyWith(withLegacy(), legacy("v2", Independent.sha256Hex(SECRET + BODY))))
                .as("a v1 value labelled v2").isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void legacyV2IsSha256OfSecretMethodUriBody() {
        SignedRequest v2 = legacy("v2", Independent.sha256Hex(SECRET + "POST" + URL + "?a=1" + BODY)).query("a", "1");
        assertThat(verifyWith(withLegacy(), v2)).isEqualTo(Verdict.verified());
        assertThat(verifyWith(withLegacy(), v2.method("GET"))).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void legacyV2SignsTheUriWithoutHubSpotsV3Decoding() {
        SignedRequest v2 = legacy("v2", Independent.sha256Hex(SECRET + "POST" + URL + "?at=10%3A00" + BODY)).query("at", "10:00");
        assertThat(verifyWith(withLegacy(), v2)).isEqualTo(Verdict.verified());
    }

    @Test
    void whenAV3SignatureIsPresentItAloneDecides() {
        SignedRequest both = legacy("v1", Independent.sha256Hex(SECRET + BODY))
                .header("X-HubSpot-Signature-v3", Independent.hmacSha256Base64(SECRET, "POST" + URL + "tampered" + TS))
                .header("X-HubSpot-Request-Timestamp", TS);
        assertThat(verifyWith(withLegacy(), both)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void legacyHeadersMustBeComplete() {
        assertRefused(verifyWith(withLegacy(), SignedRequest.post(BODY).header("X-HubSpot-Signature",
                Independent.sha256Hex(SECRET + BODY))), "X-HubSpot-Signature-Version header is missing");
        assertRefused(verifyWith(withLegacy(), legacy("v3", Independent.sha256Hex(SECRET + BODY))), "no version");
        assertRefused(verifyWith(withLegacy(), legacy("v1", "not-hex")), "not hex");
        assertRefused(verifyWith(withLegacy(), SignedRequest.post(BODY)), "missing");
    }

    @Test
    void realWorkflowCaptureVerifiesOnceResigned() {
        var capture = SharedFixtures.json(SharedFixtures.sdk().resolve("hubspot/current/CONTACT.json"));
        byte[] body = capture.get("body").toString().getBytes(StandardCharsets.UTF_8);
        Signed s = scheme().sign(SignRequest.post(URL, body, SECRET, NOW));
        assertThat(verify(SignedRequest.of(s, body))).isEqualTo(Verdict.verified());
        assertThat(s.headers().get("X-HubSpot-Signature-v3")).isEqualTo(Independent.hmacSha256Base64(SECRET,
                "POST" + URL + new String(body, StandardCharsets.UTF_8) + TS));
    }
}
