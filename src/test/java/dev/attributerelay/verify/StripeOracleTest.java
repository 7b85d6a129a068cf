package dev.attributerelay.verify;

import static dev.attributerelay.verify.OracleCase.weAccept;
import static dev.attributerelay.verify.OracleCase.weRefuse;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StripeSignature} against stripe-java's {@code Webhook.Signature.verifyHeader}, clocked alike,
 * over generated headers: several signatures, rotated secrets, whitespace, other scheme versions,
 * truncation, expired and future timestamps.
 */
class StripeOracleTest {
    private static final long TOLERANCE = 300;
    private static final Instant NOW = Instant.parse("2024-03-15T10:32:38Z");
    private static final String SECRET = "whsec_current_0123456789abcdef";
    private static final String OLD_SECRET = "whsec_previous_0123456789abcdef";
    private static final String BODY = "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"customer.updated\",\"data\":{\"name\":\"Zoë\"}}";

    private static String sig(String secret, String t, String body) {
        return Independent.hmacSha256Hex(secret, t + "." + body);
    }

    private static final class Gen {
        final List<OracleCase> cases = new ArrayList<>();

        void add(String name, String header, List<String> secrets, String body, Instant now, OracleCase.Difference d) {
            cases.add(new OracleCase(name, ours(header, secrets, body, now), oracle(header, secrets, body, now), d));
        }

        void add(String name, String header) {
            add(name, header, List.of(SECRET), BODY, NOW, null);
        }
    }

    static boolean ours(String header, List<String> secrets, String body, Instant now) {
        SignedRequest r = SignedRequest.post(body).header("Stripe-Signature", header);
        return new StripeSignature(Duration.ofSeconds(TOLERANCE)).verify(r.inbound(), secrets, now) instanceof Verdict.Verified;
    }

    /** Accepted when any configured secret passes stripe-java; any exception it throws is a refusal. */
    static boolean oracle(String header, List<String> secrets, String body, Instant now) {
        for (String secret : secrets) {
            try {
                if (Webhook.Signature.verifyHeader(body, header, secret, TOLERANCE, Clock.fixed(now, ZoneOffset.UTC))) {
                    return true;
                }
            } catch (Exception refused) {
                // SignatureVerificationException, or NumberFormatException for a non-numeric t
            }
        }
        return false;
    }

    static Stream<OracleCase> cases() {
        Gen g = new Gen();
        String t = Long.toString(NOW.getEpochSecond());
        String good = sig(SECRET, t, BODY);
        String old = sig(OLD_SECRET, t, BODY);
        String bad = sig("whsec_attacker", t, BODY);

        g.add("valid", "t=" + t + ",v1=" + good);
        g.add("several v1, the good one last", "t=" + t + ",v1=" + bad + ",v1=" + bad + ",v1=" + good);
        g.add("several v1, none good", "t=" + t + ",v1=" + bad + ",v1=" + old);
        g.add("v0 alongside", "t=" + t + ",v1=" + good + ",v0=" + good);
        g.add("v0 only", "t=" + t + ",v0=" + good);
        g.add("unknown scheme v2 only", "t=" + t + ",v2=" + good);
        g.add("timestamp last", "v1=" + good + ",t=" + t);
        g.add("no timestamp", "v1=" + good);
        g.add("empty header", "");
        g.add("no v1 value", "t=" + t + ",v1=");
        g.add("empty trailing item", "t=" + t + ",v1=" + good + ",");
        g.add("truncated signature", "t=" + t + ",v1=" + good.substring(0, 63));
        g.add("truncated to half", "t=" + t + ",v1=" + good.substring(0, 32));
        g.add("extended signature", "t=" + t + ",v1=" + good + "00");
        g.add("space after comma", "t=" + t + ", v1=" + good);
        g.add("space before t", " t=" + t + ",v1=" + good);
        g.add("space around =", "t=" + t + ",v1 =" + good);
        g.add("semicolons", "t=" + t + ";v1=" + good);
        g.add("non-numeric t", "t=abc,v1=" + sig(SECRET, "abc", BODY));
        g.add("t=0", "t=0,v1=" + sig(SECRET, "0", BODY));
        g.add("negative t", "t=-1,v1=" + sig(SECRET, "-1", BODY));
        g.add("first t counts", "t=" + t + ",t=" + (NOW.getEpochSecond() + 1) + ",v1=" + good);
        g.add("second t signed", "t=" + t + ",t=" + (NOW.getEpochSecond() + 1) + ",v1=" + sig(SECRET, Long.toString(NOW.getEpochSecond() + 1), BODY));

        // rotation: the header carries the old secret's signature; we hold both
        g.add("rotated: old signature, both secrets", "t=" + t + ",v1=" + old, List.of(SECRET, OLD_SECRET), BODY, NOW, null);
        g.add("rotated: both signatures, new secret only", "t=" + t + ",v1=" + old + ",v1=" + good, List.of(SECRET), BODY, NOW, null);
        g.add("rotated: old signature, new secret only", "t=" + t + ",v1=" + old, List.of(SECRET), BODY, NOW, null);

        // body
        g.add("body changed by one byte", "t=" + t + ",v1=" + good, List.of(SECRET), BODY.replace("Zoë", "Zoe"), NOW, null);
        g.add("body with trailing newline", "t=" + t + ",v1=" + good, List.of(SECRET), BODY + "\n", NOW, null);

        // time
        for (long offset : new long[] {-10_000, -301, -299, 0, 299}) {
            String ts = Long.toString(NOW.getEpochSecond() + offset);
            g.add("signed " + offset + " s from now", "t=" + ts + ",v1=" + sig(SECRET, ts, BODY));
        }
        for (long offset : new long[] {301, 10_000}) {
            String ts = Long.toString(NOW.getEpochSecond() + offset);
            g.add("signed " + offset + " s ahead", "t=" + ts + ",v1=" + sig(SECRET, ts, BODY), List.of(SECRET), BODY, NOW,
                    weRefuse("DESIGN §3: tolerance applies both ways; stripe-java only refuses old timestamps"));
        }

        // encodings of the same MAC
        g.add("upper-case hex", "t=" + t + ",v1=" + good.toUpperCase(Locale.ROOT), List.of(SECRET), BODY, NOW,
                weAccept("we compare the MAC bytes the hex denotes, so hex case does not matter; no forgery possible"));
        g.add("leading zeros in t, MAC over the text sent", "t=0" + t + ",v1=" + sig(SECRET, "0" + t, BODY),
                List.of(SECRET), BODY, NOW, weAccept("we MAC the timestamp text as sent; stripe-java re-formats the parsed number"));
        g.add("leading zeros in t, MAC over the number", "t=0" + t + ",v1=" + good, List.of(SECRET), BODY, NOW,
                weRefuse("we MAC the timestamp text as sent; stripe-java re-formats the parsed number"));
        g.add("plus sign in t", "t=+" + t + ",v1=" + good, List.of(SECRET), BODY, NOW,
                weRefuse("a timestamp is plain digits; Long.parseLong in stripe-java also takes a sign"));
        return g.cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithStripeJava(OracleCase c) {
        c.check();
    }

    @Test
    void theOracleIsReallyConsulted() {
        String t = Long.toString(NOW.getEpochSecond());
        assertThat(oracle("t=" + t + ",v1=" + sig(SECRET, t, BODY), List.of(SECRET), BODY, NOW)).isTrue();
        assertThat(oracle("t=" + t + ",v1=" + sig(SECRET, t, BODY), List.of(OLD_SECRET), BODY, NOW)).isFalse();
        assertThat(cases().filter(c -> c.ours()).count()).isGreaterThan(5);
        assertThat(cases().filter(c -> !c.ours()).count()).isGreaterThan(5);
    }

    @Test
    void stripeJavaAcceptsWhatWeSign() throws Exception {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        Signed s = new StripeSignature(Duration.ofSeconds(TOLERANCE)).sign(SignRequest.post("https://h.example.com/", body, SECRET, NOW));
        assertThat(Webhook.Signature.verifyHeader(BODY, s.headers().get("Stripe-Signature"), SECRET, TOLERANCE,
                Clock.fixed(NOW, ZoneOffset.UTC))).isTrue();
        assertThat(s.headers().get("Stripe-Signature"))
                .isEqualTo(Webhook.Signature.generateSignatureHeader(BODY, SECRET, NOW.getEpochSecond()));
    }
}
