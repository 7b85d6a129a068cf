package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.attributerelay.inbound.Inbound;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What every scheme must do, run once per scheme by its test class: sign → verify round trip, tampering
 * refused, rotation, missing and hostile headers refused with a reason (never an exception), reasons that
 * never echo a secret or signature, and, for schemes that sign a time, the tolerance both ways.
 */
abstract class SchemeContract {
    static final Instant NOW = Instant.parse("2024-03-15T10:32:38Z");
    static final Duration TOLERANCE = Duration.ofSeconds(300);
    static final String URL = "https://hooks.example.com/webhooks/test";
    static final String BODY = "{\"id\":\"evt_1\",\"type\":\"customer.updated\",\"data\":{\"email\":\"ada@example.com\",\"name\":\"Zoë\"}}";

    /** The scheme under test, built as relay.yaml would build it (tolerance 300 s). */
    abstract SignatureScheme scheme();

    abstract String secret();

    abstract String otherSecret();

    /** Whether the scheme signs a timestamp (and so has a tolerance). */
    abstract boolean signsTime();

    /** The signed headers with the timestamp moved one unit later and the signature left alone; null if untimed. */
    Map<String, String> tamperTimestamp(Map<String, String> signedHeaders) {
        return null;
    }

    /** Whether the body is covered by the signature (false for credentials: basic-auth, url-token). */
    boolean signsBody() {
        return true;
    }

    /** A header whose value carries signatures, for the hostile-value test; null when none (url-token). */
    abstract String signatureHeader();

    Signed sign(byte[] body, String secret, Instant at) {
        return scheme().sign(SignRequest.post(URL, body, secret, at).withId("msg_test_1"));
    }

    /** What the scheme sends for {@link #BODY} posted to {@link #URL}, signed with {@link #secret()} at {@link #NOW}. */
    Signed sign() {
        return sign(BODY.getBytes(StandardCharsets.UTF_8), secret(), NOW);
    }

    SignedRequest signed(String body, String secret, Instant at) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return SignedRequest.of(sign(bytes, secret, at), bytes);
    }

    Verdict verify(Inbound in, List<String> secrets, Instant now) {
        return scheme().verify(in, secrets, now);
    }

    Verdict verify(SignedRequest r) {
        return verify(r.inbound(), List.of(secret()), NOW);
    }

    /** {@link #BODY} with one value in {@link #signatureHeader()}, verified with {@link #secret()} at {@link #NOW}. */
    Verdict verifyHeader(String value) {
        return verify(SignedRequest.post(BODY).header(signatureHeader(), value));
    }

    /** A copy of the headers with one header's value changed: the building block of {@link #tamperTimestamp}. */
    static Map<String, String> withHeader(Map<String, String> headers, String name, UnaryOperator<String> change) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.put(name, change.apply(headers.get(name)));
        return out;
    }

    /** The whole number one more than the given one: a timestamp moved one unit later. */
    static String plusOne(String number) {
        return Long.toString(Long.parseLong(number) + 1);
    }

    static void assertRefused(Verdict v, String reasonContains) {
        assertThat(v).isInstanceOf(Verdict.Refused.class);
        assertThat(((Verdict.Refused) v).reason()).containsIgnoringCase(reasonContains);
    }

    @Test
    void roundTripVerifies() {
        assertThat(verify(signed(BODY, secret(), NOW))).isEqualTo(Verdict.verified());
    }

    @Test
    void oneByteBodyChangeIsRefused() {
        assumeTrue(signsBody(), "the body is not signed");
        SignedRequest r = signed(BODY, secret(), NOW).body(BODY.replace("Zoë", "Zoe"));
        assertThat(verify(r)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void trailingNewlineIsADifferentBody() {
        assumeTrue(signsBody(), "the body is not signed");
        SignedRequest r = signed(BODY, secret(), NOW).body(BODY + "\n");
        assertThat(verify(r)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void wrongSecretIsRefused() {
        assertThat(verify(signed(BODY, otherSecret(), NOW))).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void secondSecretMatchesDuringRotation() {
        Inbound in = signed(BODY, secret(), NOW).inbound();
        assertThat(verify(in, List.of(otherSecret(), secret()), NOW)).isEqualTo(Verdict.verified());
        assertThat(verify(in, List.of(secret(), otherSecret()), NOW)).isEqualTo(Verdict.verified());
        assertThat(verify(in, List.of(otherSecret()), NOW)).isInstanceOf(Verdict.Refused.class);
    }

    @Test
    void missingCredentialsAreRefusedWithAReason() {
        Verdict v = verify(signed(BODY, secret(), NOW).withoutCredentials());
        assertThat(v).isInstanceOf(Verdict.Refused.class);
        assertThat(((Verdict.Refused) v).reason()).isNotBlank().containsAnyOf("missing", "not present");
    }

    @Test
    void mixedCaseHeaderNamesVerify() {
        assertThat(verify(signed(BODY, secret(), NOW).withMixedCaseHeaders())).isEqualTo(Verdict.verified());
    }

    @Test
    void base64EncodedApiGatewayBodyVerifies() {
        byte[] binary = {'{', '"', 'x', '"', ':', '"', (byte) 0xff, (byte) 0xfe, 0, '"', '}'};
        SignedRequest r = SignedRequest.of(sign(binary, secret(), NOW), binary);
        assertThat(verify(r.throughApiGatewayBase64(), List.of(secret()), NOW)).isEqualTo(Verdict.verified());
        r.body(new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xff, (byte) 0xfe, 1, '"', '}'});
        assertThat(verify(r.throughApiGatewayBase64(), List.of(secret()), NOW))
                .isInstanceOf(signsBody() ? Verdict.Refused.class : Verdict.Verified.class);
    }

    @Test
    void emptyBodyRoundTrips() {
        assertThat(verify(signed("", secret(), NOW))).isEqualTo(Verdict.verified());
        assertThat(verify(signed("", secret(), NOW).body("{}")))
                .isInstanceOf(signsBody() ? Verdict.Refused.class : Verdict.Verified.class);
    }

    @Test
    void hostileHeaderValuesAreRefusedNeverThrown() {
        assumeTrue(signatureHeader() != null, "no signature header");
        List<String> hostile = List.of("", " ", ",", ";", "=", "==", "t=", "ts=;h1=", "v1,", "v1, ", ",,,,",
                "sha256=", "sha1=", "Basic", "Basic ", "Basic !!!", "99999999999999999999,abc",
                "9999999999999999999999999999", "-1,00", "t=-1,v1=00", "ts=1e9;h1=zz", "\u00e9\u00e8", "\t\n",
                "a".repeat(10_000), "t=99999999999999999,v1=00", "ts=999999999999999999;h1=00");
        for (String value : hostile) {
            SignedRequest r = signed(BODY, secret(), NOW).setHeader(signatureHeader(), value);
            assertThatCode(() -> {
                Verdict v = verify(r);
                assertThat(v).as("value %s", value).isInstanceOf(Verdict.Refused.class);
                assertThat(((Verdict.Refused) v).reason()).isNotBlank();
            }).as("value %s", value).doesNotThrowAnyException();
        }
    }

    @Test
    void reasonsNeverEchoTheSecretOrTheSignature() {
        SignedRequest good = signed(BODY, secret(), NOW);
        List<String> sensitive = new ArrayList<>(List.of(secret(), otherSecret()));
        for (String value : sign(BODY.getBytes(StandardCharsets.UTF_8), secret(), NOW).headers().values()) {
            for (String part : value.split("[,;= ]")) {
                if (part.length() >= 16) {
                    sensitive.add(part);
                }
            }
        }
        List<Verdict> refusals = List.of(
                verify(signed(BODY, otherSecret(), NOW)),
                verify(signed(BODY, secret(), NOW).body("tampered")),
                verify(good.inbound(), List.of(otherSecret()), NOW),
                verify(good.inbound(), List.of(secret()), NOW.plus(Duration.ofDays(3))));
        for (Verdict v : refusals) {
            if (v instanceof Verdict.Refused r) {
                for (String s : sensitive) {
                    assertThat(r.reason()).doesNotContain(s);
                }
                assertThat(r.reason()).doesNotContain("ada@example.com");
            }
        }
    }

    // ---- schemes that sign a time -------------------------------------------------------------

    @Test
    void timestampWithinToleranceEitherWayVerifies() {
        assumeTrue(signsTime(), "untimed scheme");
        Instant old = NOW.minus(TOLERANCE).plusSeconds(1);
        Instant ahead = NOW.plus(TOLERANCE).minusSeconds(1);
        assertThat(verify(signed(BODY, secret(), old))).isEqualTo(Verdict.verified());
        assertThat(verify(signed(BODY, secret(), ahead))).isEqualTo(Verdict.verified());
    }

    @Test
    void oldTimestampBeyondToleranceIsRefused() {
        assumeTrue(signsTime(), "untimed scheme");
        assertRefused(verify(signed(BODY, secret(), NOW.minus(TOLERANCE).minusSeconds(1))), "older than");
    }

    @Test
    void futureTimestampBeyondToleranceIsRefused() {
        assumeTrue(signsTime(), "untimed scheme");
        assertRefused(verify(signed(BODY, secret(), NOW.plus(TOLERANCE).plusSeconds(1))), "in the future");
    }

    @Test
    void toleranceIsPerIntegration() {
        assumeTrue(signsTime(), "untimed scheme");
        Inbound tenMinutesOld = signed(BODY, secret(), NOW.minus(Duration.ofMinutes(10))).inbound();
        SignatureScheme lenient = Schemes.create(new VerifySpec(nameOf(scheme()), "s", Duration.ofMinutes(15),
                "https://hooks.example.com/webhooks/test", false));
        assertThat(verify(tenMinutesOld, List.of(secret()), NOW)).isInstanceOf(Verdict.Refused.class);
        assertThat(lenient.verify(tenMinutesOld, List.of(secret()), NOW)).isEqualTo(Verdict.verified());
    }

    @Test
    void changedTimestampIsRefused() {
        assumeTrue(signsTime(), "untimed scheme");
        Signed s = sign(BODY.getBytes(StandardCharsets.UTF_8), secret(), NOW);
        Map<String, String> moved = tamperTimestamp(s.headers());
        assertThat(moved).as("tamperTimestamp for a timed scheme").isNotNull().isNotEqualTo(s.headers());
        SignedRequest r = SignedRequest.of(new Signed(s.url(), moved), BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(verify(r)).isInstanceOf(Verdict.Refused.class);
    }

    static String nameOf(SignatureScheme s) {
        for (String name : Schemes.NAMES) {
            VerifySpec spec = new VerifySpec(name, "s", TOLERANCE, "https://hooks.example.com/webhooks/test", true);
            if (Schemes.create(spec).getClass() == s.getClass()) {
                return name;
            }
        }
        throw new AssertionError("no scheme name builds " + s.getClass());
    }
}
