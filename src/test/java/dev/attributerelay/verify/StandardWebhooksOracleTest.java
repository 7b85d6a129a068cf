package dev.attributerelay.verify;

import static dev.attributerelay.verify.OracleCase.weAccept;
import static dev.attributerelay.verify.OracleCase.weRefuse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StandardWebhooksSignature} against the reference verifiers, {@code com.standardwebhooks} (the
 * {@code webhook-} headers) and {@code com.svix} (the {@code svix-} headers, falling back to
 * {@code webhook-}). Both read the system clock and a fixed 5-minute tolerance, so cases are generated
 * relative to now, at least 30 s from either edge.
 */
class StandardWebhooksOracleTest {
    private static final byte[] KEY = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw-oracle".getBytes(StandardCharsets.US_ASCII);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    private static final byte[] OLD_KEY = "previous-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(OLD_KEY);
    private static final String BODY = "{\"type\":\"customer.updated\",\"data\":{\"name\":\"Zoë\",\"plan\":\"pro\"}}";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";

    private static String v1(byte[] key, String id, String ts, String body) {
        return Base64.getEncoder().encodeToString(Independent.mac("HmacSHA256", key, id + "." + ts + "." + body));
    }

    private static boolean ours(Map<String, String> headers, List<String> secrets, String body, Instant now) {
        SignedRequest r = SignedRequest.post(body);
        headers.forEach(r::header);
        return new StandardWebhooksSignature(Duration.ofSeconds(300)).verify(r.inbound(), secrets, now) instanceof Verdict.Verified;
    }

    private static Map<String, List<String>> multi(Map<String, String> headers) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        headers.forEach((k, v) -> m.put(k, List.of(v)));
        return m;
    }

    /** A reference library's verify call for one secret: returns when the delivery verifies, throws when not. */
    private interface Oracle {
        void verify(String secret) throws Exception;
    }

    /** Whether the oracle accepts the delivery with any of the secrets, tried in order as a rotation would be. */
    private static boolean anySecret(List<String> secrets, Oracle oracle) {
        for (String secret : secrets) {
            try {
                oracle.verify(secret);
                return true;
            } catch (Exception refused) {
                // WebhookVerificationException, or a secret that is not base64
            }
        }
        return false;
    }

    private static boolean standardWebhooks(Map<String, String> headers, List<String> secrets, String body) {
        return anySecret(secrets, secret -> new com.standardwebhooks.Webhook(secret).verify(body, multi(headers)));
    }

    private static boolean svix(Map<String, String> headers, List<String> secrets, String body) {
        return anySecret(secrets, secret -> new com.svix.Webhook(secret).verify(body, multi(headers)));
    }

    private static Map<String, String> headers(String prefix, String id, String ts, String signature) {
        Map<String, String> h = new LinkedHashMap<>();
        if (id != null) {
            h.put(prefix + "-id", id);
        }
        if (ts != null) {
            h.put(prefix + "-timestamp", ts);
        }
        if (signature != null) {
            h.put(prefix + "-signature", signature);
        }
        return h;
    }

    private record Spec(String name, String id, String ts, String signature, List<String> secrets, String body,
                        OracleCase.Difference difference) {
    }

    /** The same cases for both header families; the oracle depends on the family. */
    private static List<Spec> specs(Instant now) {
        List<Spec> s = new ArrayList<>();
        String t = Long.toString(now.getEpochSecond());
        String good = v1(KEY, ID, t, BODY);
        String old = v1(OLD_KEY, ID, t, BODY);
        String bad = v1("attacker".getBytes(StandardCharsets.US_ASCII), ID, t, BODY);
        List<String> one = List.of(SECRET);
        s.add(new Spec("valid", ID, t, "v1," + good, one, BODY, null));
        s.add(new Spec("several signatures, good last", ID, t, "v1," + bad + " v1," + old + " v1," + good, one, BODY, null));
        s.add(new Spec("several signatures, none good", ID, t, "v1," + bad + " v1," + old, one, BODY, null));
        s.add(new Spec("rotated: old signature, both secrets", ID, t, "v1," + old, List.of(SECRET, OLD_SECRET), BODY, null));
        s.add(new Spec("rotated: old signature, new secret only", ID, t, "v1," + old, one, BODY, null));
        s.add(new Spec("secret without whsec_ prefix", ID, t, "v1," + good,
                List.of(SECRET.substring("whsec_".length())), BODY, null));
        s.add(new Spec("double space between signatures", ID, t, "v1," + bad + "  v1," + good, one, BODY, null));
        s.add(new Spec("leading space", ID, t, " v1," + good, one, BODY, null));
        s.add(new Spec("trailing space", ID, t, "v1," + good + " ", one, BODY, null));
        s.add(new Spec("tab inside", ID, t, "v1," + good + "\t", one, BODY, null));
        s.add(new Spec("extra comma field", ID, t, "v1," + good + ",x", one, BODY, null));
        s.add(new Spec("wrong version v2", ID, t, "v2," + good, one, BODY, null));
        s.add(new Spec("version v1a", ID, t, "v1a," + good, one, BODY, null));
        s.add(new Spec("version with no comma", ID, t, "v1" + good, one, BODY, null));
        s.add(new Spec("v1 with empty signature", ID, t, "v1,", one, BODY, null));
        s.add(new Spec("truncated signature", ID, t, "v1," + good.substring(0, 40) + "=", one, BODY, null));
        s.add(new Spec("truncated to half", ID, t, "v1," + good.substring(0, 20), one, BODY, null));
        s.add(new Spec("another id", "msg_other", t, "v1," + good, one, BODY, null));
        s.add(new Spec("missing id", null, t, "v1," + good, one, BODY, null));
        s.add(new Spec("missing timestamp", ID, null, "v1," + good, one, BODY, null));
        s.add(new Spec("missing signature", ID, t, null, one, BODY, null));
        s.add(new Spec("body changed by one byte", ID, t, "v1," + good, one, BODY.replace("pro", "prO"), null));
        s.add(new Spec("non-numeric timestamp", ID, "soon", "v1," + v1(KEY, ID, "soon", BODY), one, BODY, null));
        s.add(new Spec("fractional timestamp", ID, t + ".5", "v1," + v1(KEY, ID, t + ".5", BODY), one, BODY, null));
        for (long offset : new long[] {-100_000, -330, -270, 270, 330, 100_000}) {
            String ts = Long.toString(now.getEpochSecond() + offset);
            s.add(new Spec("signed " + offset + " s from now", ID, ts, "v1," + v1(KEY, ID, ts, BODY), one, BODY, null));
        }
        s.add(new Spec("unpadded base64", ID, t, "v1," + good.replace("=", ""), one, BODY,
                weAccept("we compare the MAC bytes the base64 denotes, and Java's decoder does not require padding; same MAC, no forgery")));
        s.add(new Spec("leading zero in timestamp, MAC over the text sent", ID, "0" + t, "v1," + v1(KEY, ID, "0" + t, BODY), one, BODY,
                weAccept("we MAC the timestamp text as sent (the spec signs the header value); the libraries re-format the parsed number")));
        s.add(new Spec("leading zero in timestamp, MAC over the number", ID, "0" + t, "v1," + good, one, BODY,
                weRefuse("we MAC the timestamp text as sent (the spec signs the header value); the libraries re-format the parsed number")));
        s.add(new Spec("plus sign in timestamp", ID, "+" + t, "v1," + good, one, BODY,
                weRefuse("a timestamp is plain digits; Long.parseLong in the libraries also takes a sign")));
        return s;
    }

    static Stream<OracleCase> standardWebhooksCases() {
        Instant now = Instant.now();
        return specs(now).stream().map(s -> {
            Map<String, String> h = headers("webhook", s.id, s.ts, s.signature);
            return new OracleCase("webhook-*: " + s.name, ours(h, s.secrets, s.body, now),
                    standardWebhooks(h, s.secrets, s.body), s.difference);
        });
    }

    static Stream<OracleCase> svixCases() {
        Instant now = Instant.now();
        List<OracleCase> out = new ArrayList<>();
        for (Spec s : specs(now)) {
            Map<String, String> h = headers("svix", s.id, s.ts, s.signature);
            out.add(new OracleCase("svix-*: " + s.name, ours(h, s.secrets, s.body, now), svix(h, s.secrets, s.body), s.difference));
        }
        String t = Long.toString(now.getEpochSecond());
        String good = "v1," + v1(KEY, ID, t, BODY);
        Map<String, String> both = headers("svix", ID, t, good);
        both.putAll(headers("webhook", "msg_other", t, "v1,AAAA"));
        out.add(new OracleCase("both families: svix-* complete wins", ours(both, List.of(SECRET), BODY, now),
                svix(both, List.of(SECRET), BODY), null));
        Map<String, String> fallback = headers("svix", null, t, "v1,AAAA");
        fallback.putAll(headers("webhook", ID, t, good));
        out.add(new OracleCase("both families: incomplete svix-* falls back", ours(fallback, List.of(SECRET), BODY, now),
                svix(fallback, List.of(SECRET), BODY), null));
        Map<String, String> badFallback = headers("svix", ID, t, good);
        badFallback.putAll(headers("webhook", ID, t, "v1,AAAA"));
        badFallback.remove("svix-timestamp");
        out.add(new OracleCase("both families: incomplete svix-*, bad webhook-*", ours(badFallback, List.of(SECRET), BODY, now),
                svix(badFallback, List.of(SECRET), BODY), null));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("standardWebhooksCases")
    void agreesWithTheStandardWebhooksLibrary(OracleCase c) {
        c.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("svixCases")
    void agreesWithTheSvixLibrary(OracleCase c) {
        c.check();
    }

    @Test
    void theOraclesAreReallyConsulted() {
        assertThat(standardWebhooksCases().filter(OracleCase::oracle).count()).isGreaterThan(5);
        assertThat(standardWebhooksCases().filter(c -> !c.oracle()).count()).isGreaterThan(5);
        assertThat(svixCases().filter(OracleCase::oracle).count()).isGreaterThan(5);
    }

    @Test
    void bothLibrariesAcceptWhatWeSign() throws Exception {
        Instant now = Instant.now();
        Signed s = new StandardWebhooksSignature(Duration.ofSeconds(300))
                .sign(SignRequest.post("https://h.example.com/", BODY.getBytes(StandardCharsets.UTF_8), SECRET, now).withId(ID));
        new com.standardwebhooks.Webhook(SECRET).verify(BODY, multi(s.headers()));
        Map<String, String> svixNames = new LinkedHashMap<>();
        s.headers().forEach((k, v) -> svixNames.put(k.replace("webhook-", "svix-"), v));
        new com.svix.Webhook(SECRET).verify(BODY, multi(svixNames));
        assertThat(s.headers().get("webhook-signature"))
                .isEqualTo(new com.standardwebhooks.Webhook(SECRET).sign(ID, now.getEpochSecond(), BODY));
    }
}
