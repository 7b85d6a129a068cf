package dev.attributerelay.lambda;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import dev.attributerelay.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Several hundred generated bad requests through the real handler and pipeline (loopback ChartMogul and Secrets
 * Manager). Each must earn the 4xx that DESIGN §3's check order gives it, with a JSON {@code error} and a
 * non-empty {@code message} that echoes no secret, signature or body, and must never reach ChartMogul.
 *
 * <p>Every request is generated from a fixed seed, so a failure names a case that reruns the same way. Most
 * bodies are ones the relay would apply if the failing check were skipped (the control test proves that), so
 * a check that wrongly passes shows up as a ChartMogul request, not as a quiet 200.
 */
class HostileInputTest {
    static final long SEED = 0x4057_11E5_F022L;
    static final String SIGNING_SECRET = "whsec_hostile_9f2c1e7a55d04b3c";
    static final byte[] SW_KEY = "hostile-standard-webhooks-key-32".getBytes(UTF_8);
    static final String SW_SECRET = "whsec_" + Base64.getEncoder().encodeToString(SW_KEY);
    static final String API_KEY = "cm_hostile_api_key_51d0e";
    static final String SECRET_JSON = "{\"chartmogul_api_key\":\"" + API_KEY + "\",\"stripe_signing_secret\":\""
            + SIGNING_SECRET + "\",\"sw_secret\":\"" + SW_SECRET + "\"}";
    static final int SMALL_LIMIT = 2048;
    static final String CONFIG = """
            integrations:
              stripe:
                verify: { scheme: stripe, secret: stripe_signing_secret, tolerance_seconds: 300 }
                event: { id: id, type: type, time: created }
                events:
                  - when: type in ["customer.created", "customer.updated"]
                    customer: { external_id: data.object.id }
                    attributes:
                      plan:    { type: String,    value: data.object.metadata.plan }
                      seats:   { type: Integer,   value: data.object.metadata.seats }
                      churned: { type: Boolean,   value: data.object.delinquent }
                      mrr:     { type: Decimal,   value: data.object.metadata.mrr }
                      since:   { type: Timestamp, value: data.object.created }
              small:
                verify: { scheme: stripe, secret: stripe_signing_secret }
                max_body_bytes: %d
                events:
                  - customer: { external_id: data.object.id }
                    attributes:
                      plan: { type: String, value: data.object.metadata.plan }
              standard:
                verify: { scheme: standard-webhooks, secret: sw_secret }
                events:
                  - when: type = "customer.updated"
                    customer: { external_id: data.object.id }
                    attributes:
                      plan: { type: String, value: data.object.metadata.plan }
              formy:
                verify: { scheme: stripe, secret: stripe_signing_secret }
                events:
                  - when: type = "subscribe"
                    customer: { external_id: data.id }
                    attributes:
                      plan: { type: String, value: data.plan }
            """.formatted(SMALL_LIMIT);

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<Integer, Integer> TALLY = new TreeMap<>();
    static RelayHarness h;

    @BeforeAll
    static void start() {
        h = harness();
    }

    @AfterAll
    static void stop() {
        h.close();
        int total = TALLY.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("HostileInputTest: " + total + " hostile requests");
        TALLY.forEach((status, n) -> System.out.println("HostileInputTest: " + status + " × " + n));
    }

    static RelayHarness harness() {
        RelayHarness harness = new RelayHarness(CONFIG, SECRET_JSON);
        harness.chartmogul.acceptKey(API_KEY)
                .customer("cus_cm_hostile", "cus_hostile", "ds_stripe", "hostile@example.com")
                .defined("plan", "String").defined("seats", "Integer").defined("churned", "Boolean")
                .defined("mrr", "Decimal").defined("since", "Timestamp");
        return harness;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the well-formed requests every hostile one is a mutation of

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String stripeBody() {
        return "{\"id\":\"evt_hostile\",\"type\":\"customer.updated\",\"created\":" + now() + ",\"data\":{\"object\":"
                + "{\"id\":\"cus_hostile\",\"delinquent\":false,\"created\":1677833998,"
                + "\"metadata\":{\"plan\":\"pro\",\"seats\":\"3\",\"mrr\":\"10.50\"}}}}";
    }

    static final String STANDARD_BODY = "{\"type\":\"customer.updated\",\"data\":{\"object\":{\"id\":\"cus_hostile\","
            + "\"metadata\":{\"plan\":\"pro\"}}}}";
    static final String FORM_BODY = "type=subscribe&data%5Bid%5D=cus_hostile&data[plan]=pro";

    enum Format { HTTP_API, REST_API, FUNCTION_URL }

    static String stripeHex(String secret, String t, byte[] body) {
        byte[] prefix = (t + ".").getBytes(UTF_8);
        byte[] message = ByteBuffer.allocate(prefix.length + body.length).put(prefix).put(body).array();
        return HexFormat.of().formatHex(Events.hmac(secret.getBytes(UTF_8), message));
    }

    static String stripeHeader(String t, byte[] body) {
        return "t=" + t + ",v1=" + stripeHex(SIGNING_SECRET, t, body);
    }

    static String swSignature(String id, String ts, byte[] key, byte[] body) {
        byte[] prefix = (id + "." + ts + ".").getBytes(UTF_8);
        byte[] message = ByteBuffer.allocate(prefix.length + body.length).put(prefix).put(body).array();
        return Base64.getEncoder().encodeToString(Events.hmac(key, message));
    }

    /** A Stripe-signed JSON POST, as a provider would send it. */
    static Events.Request stripe(String path, String body) {
        return Events.post(path, body).header("Content-Type", "application/json")
                .header("Stripe-Signature", stripeHeader(Long.toString(now()), body.getBytes(UTF_8)));
    }

    static String render(Events.Request r, Format f) {
        switch (f) {
            case HTTP_API:
                return r.httpApi();
            case REST_API:
                return r.restApi();
            default:
                return r.functionUrl();
        }
    }

    static String mutate(String event, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(event);
            change.accept(root);
            return root.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event with its body replaced by these raw bytes, base64-encoded as API Gateway does for binary. */
    static String withBytes(String event, byte[] body) {
        return mutate(event, e -> {
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
        });
    }

    static ObjectNode headersOf(ObjectNode event) {
        return (ObjectNode) event.get("headers");
    }

    /** Adds headers exactly as named (the builder lower-cases HTTP API names; these must arrive as written). */
    static String withHeaders(String event, Map<String, String> headers) {
        return mutate(event, e -> {
            ObjectNode single = headersOf(e);
            JsonNode multi = e.get("multiValueHeaders");
            headers.forEach((k, v) -> {
                single.put(k, v);
                if (multi instanceof ObjectNode m) {
                    m.putArray(k).add(v);
                }
            });
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // cases

    /**
     * @param expected  the status DESIGN §3 gives this request
     * @param forbidden text that must appear neither in the answer nor in the log (signatures, bodies)
     */
    record Case(String category, String name, byte[] event, int expected, List<String> forbidden) {
        static Case of(String category, String name, String event, int expected, String... forbidden) {
            return new Case(category, name, event.getBytes(UTF_8), expected, List.of(forbidden));
        }
    }

    static final class Cases {
        final List<Case> all = new ArrayList<>();
        final Random random = new Random(SEED);

        void add(String category, String name, String event, int expected, String... forbidden) {
            all.add(Case.of(category, name, event, expected, forbidden));
        }

        void add(String category, String name, byte[] event, int expected, String... forbidden) {
            all.add(new Case(category, name, event, expected, List.of(forbidden)));
        }

        Format format() {
            return Format.values()[random.nextInt(Format.values().length)];
        }
    }

    static List<Case> cases() {
        Cases c = new Cases();
        malformedLambdaEvents(c);
        unknownIntegrations(c);
        methods(c);
        sizes(c);
        stripeSignatures(c);
        stripeTimestamps(c);
        signatureHeaderNames(c);
        duplicateAndOversizedHeaders(c);
        standardWebhooks(c);
        bodies(c);
        encodings(c);
        contentTypes(c);
        hostileValues(c);
        checkOrder(c);
        return c.all;
    }

    /** Not an API Gateway event at all, or one missing what every such event has: 400. */
    static void malformedLambdaEvents(Cases c) {
        String good = stripe("/webhooks/stripe", stripeBody()).httpApi();
        for (String raw : new String[] {"", " ", "not json", "{", "[", "[]", "null", "42", "\"a string\"", "true",
            "{}", "{\"body\":\"x\"}", "{\"requestContext\":{}}", "{\"rawPath\":\"/webhooks/stripe\"}",
            "{\"httpMethod\":\"POST\",\"path\":\"/webhooks/stripe\"}", "\u0000", "{\"a\":1}{\"b\":2}"}) {
            c.add("malformed event", "event " + JSON.valueToTree(raw), raw, 400);
        }
        for (int i = 0; i < 5; i++) {
            int cut = 1 + c.random.nextInt(good.length() - 2);
            c.add("malformed event", "event truncated at " + cut, good.substring(0, cut), 400);
        }
        c.add("malformed event", "event not UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF,
            '"', '}'}, 400);
        c.add("malformed event", "event with raw 0xFF", new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'}, 400);
        for (Format f : Format.values()) {
            String e = render(stripe("/webhooks/stripe", stripeBody()), f);
            c.add("malformed event", f + ": no requestContext", mutate(e, n -> n.remove("requestContext")), 400);
            c.add("malformed event", f + ": requestContext is a number", mutate(e, n -> n.put("requestContext", 7)), 400);
            c.add("malformed event", f + ": requestContext is a string",
                    mutate(e, n -> n.put("requestContext", "{\"http\":{}}")), 400);
            c.add("malformed event", f + ": body is a number", mutate(e, n -> n.put("body", 42)), 400);
            c.add("malformed event", f + ": body is an object",
                    mutate(e, n -> n.set("body", JSON.createObjectNode().put("type", "customer.updated"))), 400);
            c.add("malformed event", f + ": body is an array", mutate(e, n -> n.putArray("body").add(1)), 400);
            c.add("malformed event", f + ": body is a boolean", mutate(e, n -> n.put("body", true)), 400);
            c.add("malformed event", f + ": neither rawPath nor httpMethod",
                    mutate(e, n -> n.remove(List.of("rawPath", "httpMethod"))), 400);
        }
        // base64 that does not decode: API Gateway never sends it, so the event itself is broken
        String[] badBase64 = {"QUJD=A", "====", "Q", "QUJD*RA==", "%%%%", "Zm9v YmFy", "Zm9v\u0000", "Zm9v\u0661",
            "eyJ0eXBlIjoiY3VzdG9tZXIudXBkYXRlZCJ9!", "-_-_", "eyJ0eXBl\tIjoiY3V"};
        for (String b : badBase64) {
            Format f = c.format();
            String e = render(stripe("/webhooks/stripe", stripeBody()), f);
            c.add("malformed event", f + ": isBase64Encoded with " + JSON.valueToTree(b),
                    mutate(e, n -> n.put("body", b).put("isBase64Encoded", true)), 400, longOnly(b));
        }
    }

    /** Names no relay.yaml key has, through the path parameter and through a Function URL's path: 404. */
    static void unknownIntegrations(Cases c) {
        String[] names = {
            "str\u0456pe", "\u0455tripe", "stripe\u200F", "\u202Estripe", "stri\u200Bpe", "stripe\u0000", "STRIPE",
            "Stripe", "stripe ", " stripe", "\uFF53\uFF54\uFF52\uFF49\uFF50\uFF45", "stripe/..", "..", ".",
            "stripe%2Fadmin", "%2e%2e", "a".repeat(10_000), "\u00e9".repeat(5_000), "__proto__", "constructor",
            "integrations", "stripe;", "stripe\n", "stripe\r\nX-Injected: 1", "%00", "%ZZ", "%C0%AF",
            "\uFEFFstripe", "s\u0301tripe", "st\u0280ipe",
            "%7\u0663tripe", "%\uFF17\uFF13tripe", "%+73tripe", "stripe%", "%73tripe%C0",
        };
        for (String name : names) {
            Format f = c.format();
            if (f == Format.FUNCTION_URL && name.contains("/")) {
                f = Format.HTTP_API; // a Function URL path /webhooks/stripe/.. names stripe, by design
            }
            String body = stripeBody();
            Events.Request r = stripe("/webhooks/stripe", body);
            String event;
            if (f == Format.FUNCTION_URL) {
                event = mutate(r.functionUrl(), e -> {
                    e.put("rawPath", "/webhooks/" + name);
                    ((ObjectNode) e.get("requestContext").get("http")).put("path", "/webhooks/" + name);
                });
            } else {
                event = mutate(render(r, f), e -> ((ObjectNode) e.get("pathParameters")).put("integration", name));
            }
            c.add("integration", f + ": " + abbreviate(name), event, 404, body);
        }
        for (Format f : Format.values()) {
            String body = stripeBody();
            c.add("integration", f + ": /webhooks/ with nothing after",
                    mutate(render(stripe("/webhooks/stripe", body), f), e -> {
                        e.remove("pathParameters");
                        e.put("rawPath", "/webhooks/");
                        e.put("path", "/webhooks/");
                    }), 404, body);
            c.add("integration", f + ": no path at all", mutate(render(stripe("/webhooks/stripe", body), f), e -> {
                e.remove("pathParameters");
                e.put("rawPath", "/");
                e.put("path", "/");
            }), 404, body);
            c.add("integration", f + ": //webhooks//stripe", mutate(render(stripe("/webhooks/stripe", body), f), e -> {
                e.remove("pathParameters");
                e.put("rawPath", "/webhooks//stripe");
                e.put("path", "/webhooks//stripe");
            }), 404, body);
        }
    }

    /** Signed, valid bodies with a method other than POST: 405. */
    static void methods(Cases c) {
        String[] methods = {"GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "P0ST", "POST ",
            " POST", "P\u041eST", "POST\u0000", "POSTX", "", "GET POST", "POST\r\n"};
        for (String m : methods) {
            Format f = c.format();
            String body = stripeBody();
            c.add("method", f + ": " + JSON.valueToTree(m), render(stripe("/webhooks/stripe", body).method(m), f), 405,
                    body);
        }
        for (Format f : Format.values()) {
            String body = stripeBody();
            c.add("method", f + ": no method at all", mutate(render(stripe("/webhooks/stripe", body), f), e -> {
                e.remove("httpMethod");
                ((ObjectNode) e.get("requestContext")).remove("httpMethod");
                ((ObjectNode) e.get("requestContext")).remove("http");
            }), f == Format.REST_API ? 400 : 405, body); // REST without httpMethod is not an API event
        }
    }

    /** Bodies over the integration's limit answer 413 before the signature or the body is looked at. */
    static void sizes(Cases c) {
        int mib = 1024 * 1024;
        for (Format f : Format.values()) {
            // signed and otherwise valid: only the size is wrong
            String big = padded(stripeBody(), mib + 1);
            c.add("size", f + ": 1 MiB + 1, signed", render(stripe("/webhooks/stripe", big), f), 413);
        }
        String big = padded(stripeBody(), 3 * mib);
        c.add("size", "3 MiB, unsigned", Events.post("/webhooks/stripe", big).httpApi(), 413);
        byte[] binary = new byte[(int) (1.6 * mib)];
        c.random.nextBytes(binary);
        c.add("size", "1.6 MiB binary, base64 in the event",
                withBytes(Events.post("/webhooks/stripe", "x").header("Stripe-Signature", "t=1,v1=00").restApi(), binary),
                413);
        for (int size : new int[] {SMALL_LIMIT + 1, SMALL_LIMIT + 7, 4096, 65_536}) {
            Format f = c.format();
            String body = padded("{\"data\":{\"object\":{\"id\":\"cus_hostile\",\"metadata\":{\"plan\":\"pro\"}}}}", size);
            c.add("size", f + ": " + size + " bytes, signed", render(stripe("/webhooks/small", body), f), 413);
            c.add("size", f + ": " + size + " bytes, wrong signature", render(Events.post("/webhooks/small", body)
                    .header("Stripe-Signature", "t=" + now() + ",v1=" + "ab".repeat(32)), f), 413);
            c.add("size", f + ": " + size + " bytes of broken JSON, unsigned",
                    render(Events.post("/webhooks/small", "{".repeat(size)), f), 413);
        }
        String multibyte = "{\"data\":{\"object\":{\"id\":\"cus_hostile\",\"metadata\":{\"plan\":\"" + "\u20ac".repeat(683)
                + "\"}}}}"; // fewer than 2048 characters, more than 2048 UTF-8 bytes
        c.add("size", "limit counts bytes, not characters", stripe("/webhooks/small", multibyte).httpApi(), 413);
        c.add("size", "base64 body over the limit once decoded", stripe("/webhooks/small",
                padded("{\"a\":1}", SMALL_LIMIT + 1)).base64().restApi(), 413);
    }

    /** A JSON object of exactly {@code bytes} UTF-8 bytes: the given object with a padding field added. */
    static String padded(String json, int bytes) {
        String head = json.substring(0, json.length() - 1) + ",\"pad\":\"";
        String tail = "\"}";
        int fill = bytes - head.getBytes(UTF_8).length - tail.length();
        return head + "x".repeat(fill) + tail;
    }

    /** Stripe-Signature values that must not verify: missing, malformed, wrong length or alphabet: 401. */
    static void stripeSignatures(Cases c) {
        String body = stripeBody();
        byte[] bytes = body.getBytes(UTF_8);
        String t = Long.toString(now());
        String sig = stripeHex(SIGNING_SECRET, t, bytes);
        String b64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sig));
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"empty", ""});
        headers.add(new String[] {"blank", "   "});
        headers.add(new String[] {"garbage", "garbage"});
        headers.add(new String[] {"t= only", "t="});
        headers.add(new String[] {"v1= only", "v1="});
        headers.add(new String[] {"timestamp only", "t=" + t});
        headers.add(new String[] {"signature only", "v1=" + sig});
        headers.add(new String[] {"empty v1", "t=" + t + ",v1="});
        headers.add(new String[] {"v0 instead of v1", "t=" + t + ",v0=" + sig});
        headers.add(new String[] {"V1 upper-case key", "t=" + t + ",V1=" + sig});
        headers.add(new String[] {"T upper-case key", "T=" + t + ",v1=" + sig});
        headers.add(new String[] {"semicolons", "t=" + t + ";v1=" + sig});
        headers.add(new String[] {"spaces as separator", "t=" + t + " v1=" + sig});
        headers.add(new String[] {"spaces around =", "t = " + t + ", v1 = " + sig});
        headers.add(new String[] {"odd length", "t=" + t + ",v1=" + sig.substring(1)});
        headers.add(new String[] {"one byte short", "t=" + t + ",v1=" + sig.substring(2)});
        headers.add(new String[] {"one byte long", "t=" + t + ",v1=" + sig + "00"});
        headers.add(new String[] {"one nibble long", "t=" + t + ",v1=" + sig + "0"});
        headers.add(new String[] {"doubled", "t=" + t + ",v1=" + sig + sig});
        headers.add(new String[] {"half", "t=" + t + ",v1=" + sig.substring(0, 32)});
        headers.add(new String[] {"base64 in the hex field", "t=" + t + ",v1=" + b64});
        headers.add(new String[] {"base64url in the hex field", "t=" + t + ",v1=" + b64.replace('+', '-').replace('/', '_')});
        headers.add(new String[] {"0x prefix", "t=" + t + ",v1=0x" + sig.substring(2)});
        headers.add(new String[] {"trailing space", "t=" + t + ",v1=" + sig + " "});
        headers.add(new String[] {"leading space", "t=" + t + ",v1= " + sig.substring(1)});
        headers.add(new String[] {"NUL inside", "t=" + t + ",v1=" + sig.substring(0, 10) + "\u0000" + sig.substring(11)});
        headers.add(new String[] {"NUL after", "t=" + t + ",v1=" + sig + "\u0000"});
        headers.add(new String[] {"BOM before t", "\uFEFFt=" + t + ",v1=" + sig});
        headers.add(new String[] {"wrong secret", stripeHeaderWith("whsec_not_the_secret", t, bytes)});
        headers.add(new String[] {"secret with a trailing newline", stripeHeaderWith(SIGNING_SECRET + "\n", t, bytes)});
        headers.add(new String[] {"signed another body", stripeHeaderWith(SIGNING_SECRET, t, (body + " ").getBytes(UTF_8))});
        headers.add(new String[] {"signed another timestamp", "t=" + t + ",v1=" + stripeHex(SIGNING_SECRET,
                Long.toString(now() - 1), bytes)});
        headers.add(new String[] {"signed without the dot", "t=" + t + ",v1=" + HexFormat.of().formatHex(
                Events.hmac(SIGNING_SECRET.getBytes(UTF_8), (t + body).getBytes(UTF_8)))});
        // a single character of the right signature swapped for one outside the ASCII hex alphabet
        String[][] swaps = {
            {"g", "ascii g"}, {"z", "ascii z"}, {"G", "ascii G"}, {"-", "hyphen"}, {" ", "space"},
            {"\u0661", "arabic-indic digit one"}, {"\u0967", "devanagari digit one"}, {"\uFF11", "fullwidth digit one"},
            {"\uFF41", "fullwidth small a"}, {"\uFF21", "fullwidth capital A"}, {"\u00B9", "superscript one"},
            {"\u06F1", "extended arabic-indic one"}, {"\u1811", "mongolian digit one"},
        };
        for (String[] swap : swaps) {
            headers.add(new String[] {"v1 with " + swap[1], "t=" + t + ",v1=" + swapOne(sig, swap[0], c.random)});
        }
        // every hex digit written in another script: same value for Character.digit, not hex on the wire
        headers.add(new String[] {"v1 all in arabic-indic digits where it has digits", "t=" + t + ",v1="
                + translateDigits(sig, '\u0660')});
        headers.add(new String[] {"v1 all fullwidth", "t=" + t + ",v1=" + fullwidth(sig)});
        for (String[] hv : headers) {
            Format f = c.format();
            c.add("signature", f + ": " + hv[0], render(Events.post("/webhooks/stripe", body)
                    .header("Content-Type", "application/json").header("Stripe-Signature", hv[1]), f), 401,
                    forbidden(hv[1], body));
        }
        for (Format f : Format.values()) {
            c.add("signature", f + ": no Stripe-Signature header", render(Events.post("/webhooks/stripe", body)
                    .header("Content-Type", "application/json"), f), 401, body);
        }
    }

    static String stripeHeaderWith(String secret, String t, byte[] body) {
        return "t=" + t + ",v1=" + stripeHex(secret, t, body);
    }

    /**
     * Replaces one character of the signature with the given one: a '1' when the replacement is some script's
     * digit one, an 'a' when it is a fullwidth a or A (hex value 10 for Character.digit), else any character.
     */
    static String swapOne(String sig, String replacement, Random random) {
        char r = replacement.charAt(0);
        char target = Character.isDigit(r) || r == '\u00B9' ? '1' : Character.isLetter(r) && r > 0x7f ? 'a' : 0;
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < sig.length(); i++) {
            if (target == 0 || sig.charAt(i) == target) {
                positions.add(i);
            }
        }
        if (positions.isEmpty()) {
            positions.add(random.nextInt(sig.length()));
        }
        int at = positions.get(random.nextInt(positions.size()));
        return sig.substring(0, at) + replacement + sig.substring(at + 1);
    }

    static String translateDigits(String hex, char zero) {
        StringBuilder sb = new StringBuilder();
        for (char ch : hex.toCharArray()) {
            sb.append(ch >= '0' && ch <= '9' ? (char) (zero + (ch - '0')) : ch);
        }
        return sb.toString();
    }

    static String fullwidth(String hex) {
        StringBuilder sb = new StringBuilder();
        for (char ch : hex.toCharArray()) {
            sb.append((char) (ch + 0xFEE0));
        }
        return sb.toString();
    }

    /** What must not be echoed: the header value, its long tokens, the body. */
    static String[] forbidden(String header, String body) {
        List<String> out = new ArrayList<>();
        if (header.length() >= 8) {
            out.add(header);
        }
        for (String token : header.split("[,=; ]")) {
            if (token.length() >= 16) {
                out.add(token);
            }
        }
        if (body != null) {
            out.add(body);
        }
        return out.toArray(new String[0]);
    }

    /** Timestamps with signs, spaces, exponents, other digits and overflow, each correctly signed as written: 401. */
    static void stripeTimestamps(Cases c) {
        long n = now();
        String[] stamps = {
            "+" + n, "-" + n, " " + n, n + " ", n + ".0", "1.7e9", "17e8", n + "e0", "0x" + Long.toHexString(n), "",
            "NaN", "Infinity", "99999999999999999999", "999999999999999999", "31556889864403200", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", translateDigits(Long.toString(n), '\u0660'),
            translateDigits(Long.toString(n), '\uFF10'), Long.toString(n - 400), Long.toString(n + 400), "0",
            Long.toString(n * 1000), "00000000000000000" + n, n + "\u0000", "\u200F" + n, n + "_000",
        };
        String body = stripeBody();
        byte[] bytes = body.getBytes(UTF_8);
        for (String t : stamps) {
            Format f = c.format();
            String header = "t=" + t + ",v1=" + stripeHex(SIGNING_SECRET, t, bytes);
            c.add("timestamp", f + ": t=" + JSON.valueToTree(t), render(Events.post("/webhooks/stripe", body)
                    .header("Content-Type", "application/json").header("Stripe-Signature", header), f), 401,
                    forbidden(header, body));
        }
    }

    /** The right header value under a name that only looks right: 401. */
    static void signatureHeaderNames(Cases c) {
        String[] names = {
            "\u0405tripe-Signature", "Stripe\u2010Signature", "Stripe-Signature\u200B", "Stripe_Signature",
            "StripeSignature", "Stripe-Signatures", " Stripe-Signature", "Stripe-Signature ", "STR\u0130PE-S\u0130GNATURE",
            "Str\u0131pe-S\u0131gnature", "Stripe-Signature\u0000", "X-Stripe-Signature", "Stripe-\u0405ignature",
            "Stripe-Signatur\u0435",
        };
        for (String name : names) {
            Format f = c.format();
            String body = stripeBody();
            String header = stripeHeader(Long.toString(now()), body.getBytes(UTF_8));
            c.add("header name", f + ": " + JSON.valueToTree(name), withHeaders(render(Events.post("/webhooks/stripe",
                    body).header("Content-Type", "application/json"), f), Map.of(name, header)), 401,
                    forbidden(header, body));
        }
    }

    /** Repeated, conflicting and oversized headers, none of which carries a signature that verifies: 401. */
    static void duplicateAndOversizedHeaders(Cases c) {
        String body = stripeBody();
        byte[] bytes = body.getBytes(UTF_8);
        String t = Long.toString(now());
        String wrongSecret = stripeHeaderWith("whsec_other", t, bytes);
        String otherBody = stripeHeaderWith(SIGNING_SECRET, t, "{}".getBytes(UTF_8));
        String stale = stripeHeader(Long.toString(now() - 3600), bytes);
        String future = stripeHeader(Long.toString(now() + 3600), bytes);
        List<List<String>> conflicts = List.of(
                List.of(wrongSecret, otherBody), List.of(otherBody, wrongSecret), List.of(stale, future),
                List.of(future, stale), List.of("garbage", wrongSecret), List.of(wrongSecret, "t=" + t),
                List.of("", stale), List.of("t=" + t, "v1=" + stripeHex(SIGNING_SECRET, "0", bytes)),
                java.util.Collections.nCopies(20, "garbage"), List.of(otherBody, otherBody.toUpperCase()));
        int i = 0;
        for (List<String> values : conflicts) {
            i++;
            // REST API: each value kept in multiValueHeaders, the last in headers, possibly under another case
            String restCase = i % 2 == 0 ? "stripe-signature" : "STRIPE-SIGNATURE";
            String event = mutate(Events.post("/webhooks/stripe", body).header("Content-Type", "application/json")
                    .restApi(), e -> {
                        ArrayNode a = ((ObjectNode) e.get("multiValueHeaders")).putArray("Stripe-Signature");
                        values.forEach(a::add);
                        headersOf(e).put(restCase, values.get(values.size() - 1));
                    });
            List<String> forbidden = new ArrayList<>(List.of(body));
            values.forEach(v -> forbidden.addAll(List.of(forbidden(v, null))));
            c.add("duplicate header", "REST multiValueHeaders #" + i, event, 401, forbidden.toArray(new String[0]));
            // HTTP API: a repeated header arrives joined with commas
            String joined = String.join(",", values);
            c.add("duplicate header", "HTTP API comma-joined #" + i, Events.post("/webhooks/stripe", body)
                    .header("Content-Type", "application/json").header("Stripe-Signature", joined).httpApi(), 401,
                    forbidden.toArray(new String[0]));
        }
        // oversized
        StringBuilder many = new StringBuilder("t=" + t);
        for (int k = 0; k < 20_000; k++) {
            many.append(",v1=").append(String.format("%064x", k));
        }
        c.add("oversized header", "20,000 v1 entries", Events.post("/webhooks/stripe", body)
                .header("Stripe-Signature", many.toString()).httpApi(), 401, body);
        c.add("oversized header", "64 KiB of hex", Events.post("/webhooks/stripe", body)
                .header("Stripe-Signature", "t=" + t + ",v1=" + "ab".repeat(32_768)).restApi(), 401, body);
        c.add("oversized header", "1 MiB of commas", Events.post("/webhooks/stripe", body)
                .header("Stripe-Signature", ",".repeat(1 << 20)).functionUrl(), 401, body);
        c.add("oversized header", "40 KB header name", Events.post("/webhooks/stripe", body)
                .header("x".repeat(40_000), stripeHeader(t, bytes)).httpApi(), 401, body);
        Events.Request crowd = Events.post("/webhooks/stripe", body);
        for (int k = 0; k < 5_000; k++) {
            crowd.header("X-Noise-" + k, "v" + k);
        }
        c.add("oversized header", "5,000 headers, none the signature", crowd.restApi(), 401, body);
    }

    /** Standard Webhooks (and Svix) headers: missing, malformed, overflowing, look-alike names: 401. */
    static void standardWebhooks(Cases c) {
        String body = STANDARD_BODY;
        byte[] bytes = body.getBytes(UTF_8);
        String id = "msg_hostile";
        String ts = Long.toString(now());
        String sig = swSignature(id, ts, SW_KEY, bytes);
        Map<String, Map<String, String>> sets = new java.util.LinkedHashMap<>();
        sets.put("no headers", Map.of());
        sets.put("no id", Map.of("webhook-timestamp", ts, "webhook-signature", "v1," + sig));
        sets.put("no timestamp", Map.of("webhook-id", id, "webhook-signature", "v1," + sig));
        sets.put("no signature", Map.of("webhook-id", id, "webhook-timestamp", ts));
        sets.put("empty id", Map.of("webhook-id", "", "webhook-timestamp", ts, "webhook-signature", "v1," + sig));
        for (String bad : new String[] {"+" + ts, " " + ts, ts + ".5", "1.7e9", "-1", "999999999999999999",
            "31556889864403200", "99999999999999999999", translateDigits(ts, '\u0660'), "", Long.toString(now() - 400),
            Long.toString(now() + 400)}) {
            sets.put("timestamp " + JSON.valueToTree(bad), Map.of("webhook-id", id, "webhook-timestamp", bad,
                    "webhook-signature", "v1," + swSignature(id, bad, SW_KEY, bytes)));
        }
        String[][] badSignatures = {
            {"first character cut", "v1," + sig.substring(1)}, {"truncated", "v1," + sig.substring(0, 20)},
            {"v2", "v2," + sig}, {"space for comma", "v1 " + sig}, {"= for comma", "v1=" + sig},
            {"hex in the base64 field", "v1," + HexFormat.of().formatHex(Base64.getDecoder().decode(sig))},
            {"base64url with extra -_", "v1," + sig.replace('+', '-').replace('/', '_').replace("=", "") + "-_"},
            {"fullwidth base64", "v1," + fullwidth(sig)}, {"v1a", "v1a," + sig}, {"V1", "V1," + sig}, {"comma", ","},
            {"empty v1", "v1,"}, {"other key", "v1," + swSignature(id, ts, "other-key".getBytes(UTF_8), bytes)},
            {"keyed with the whsec_ text", "v1," + swSignature(id, ts, SW_SECRET.getBytes(UTF_8), bytes)},
        };
        for (String[] bad : badSignatures) {
            sets.put("signature: " + bad[0], Map.of("webhook-id", id, "webhook-timestamp", ts, "webhook-signature",
                    bad[1]));
        }
        // look-alike names: the Kelvin sign lower-cases to 'k' under Unicode rules, not under HTTP's
        sets.put("Kelvin-sign K in every name", Map.of("webhoo\u212A-id", id, "webhoo\u212A-timestamp", ts,
                "webhoo\u212A-signature", "v1," + sig));
        sets.put("Kelvin-sign K in the signature name", Map.of("webhook-id", id, "webhook-timestamp", ts,
                "webhoo\u212A-signature", "v1," + sig));
        sets.put("unicode hyphen in the id name", Map.of("webhook\u2010id", id, "webhook-timestamp", ts,
                "webhook-signature", "v1," + sig));
        sets.put("svix id and timestamp, webhook signature with another key", Map.of("svix-id", id,
                "svix-timestamp", ts, "webhook-signature", "v1," + swSignature(id, ts, "x".getBytes(UTF_8), bytes)));
        sets.put("webhook id and timestamp, svix signature", Map.of("webhook-id", id, "webhook-timestamp", ts,
                "svix-signature", "v1," + sig));
        for (Map.Entry<String, Map<String, String>> labelled : sets.entrySet()) {
            Map<String, String> set = labelled.getValue();
            Format f = c.format();
            Events.Request r = Events.post("/webhooks/standard", body).header("Content-Type", "application/json");
            List<String> forbidden = new ArrayList<>(List.of(body, sig, SW_SECRET));
            set.values().forEach(v -> forbidden.addAll(List.of(forbidden(v, null))));
            c.add("standard-webhooks", f + ": " + labelled.getKey(), withHeaders(render(r, f),
                    new TreeMap<>(set)), 401,
                    forbidden.toArray(new String[0]));
        }
    }

    /** Correctly signed bodies that are not JSON objects or arrays: 400 from the body check. */
    static void bodies(Cases c) {
        String good = stripeBody();
        for (int i = 0; i < 25; i++) {
            int cut = 1 + c.random.nextInt(good.length() - 1);
            signedBody(c, "body", "truncated at " + cut + " of " + good.length(), good.substring(0, cut));
        }
        for (int depth : new int[] {201, 1_000, 50_000}) {
            signedBody(c, "body", "arrays nested " + depth + " deep", "[".repeat(depth) + "]".repeat(depth));
            signedBody(c, "body", "objects nested " + depth + " deep",
                    "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
            signedBody(c, "body", "unclosed nesting " + depth + " deep", "[{\"a\":".repeat(depth / 2));
        }
        signedBody(c, "body", "nesting inside a valid event", good.replace("\"delinquent\":false",
                "\"delinquent\":" + "[".repeat(300) + "]".repeat(300)));
        String[] broken = {"", " ", "\n\t\r ", "42", "\"customer.updated\"", "null", "true", "{} trailing",
            good + good, good + "}", good + ",", "{\"type\":NaN}", "{\"type\":Infinity}", "{/*c*/\"type\":1}",
            "{'type':'customer.updated'}", "{type:\"customer.updated\"}", "{\"type\":\"a\u0000b\"}",
            "{\"type\":\"a\nb\"}", "{\u0000}", "{\"a\":1,}", "[1,]", "{\"a\":" + "9".repeat(1_001) + "}",
            "{\"a\":\"\\uD800\\u\"}", "{\"a\":\"\\x41\"}", "\u0000" + good, "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}",
            "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[\"a\" \"b\"]", "<xml/>", "type=customer.updated",
            "{\"type\":\"customer.updated\",\"a\":1e9999999990}", "[16771e300000000833999]", "{\"a\":-1E-2147483649}",
        };
        for (String b : broken) {
            signedBody(c, "body", JSON.valueToTree(abbreviate(b)).toString(), b);
        }
    }

    static void signedBody(Cases c, String category, String name, String body) {
        Format f = c.format();
        c.add(category, f + ": " + name, render(stripe("/webhooks/stripe", body), f), 400, longOnly(body));
    }

    static void signedBytes(Cases c, String category, String name, byte[] body, String contentType, int expected) {
        Format f = c.format();
        String header = stripeHeader(Long.toString(now()), body);
        String event = withBytes(render(Events.post("/webhooks/stripe", "x").header("Content-Type", contentType)
                .header("Stripe-Signature", header), f), body);
        c.add(category, f + ": " + name, event, expected, forbidden(header, Base64.getEncoder().encodeToString(body)));
    }

    /** Correctly signed bodies in encodings other than UTF-8, or with invalid UTF-8: 400. */
    static void encodings(Cases c) {
        String good = stripeBody();
        for (String cs : new String[] {"UTF-16LE", "UTF-16BE", "UTF-32BE", "UTF-32LE"}) {
            byte[] encoded = good.getBytes(Charset.forName(cs));
            signedBytes(c, "encoding", cs + " without BOM", encoded, "application/json", 400);
            byte[] bom = "\uFEFF".getBytes(Charset.forName(cs));
            signedBytes(c, "encoding", cs + " with BOM", concat(bom, encoded), "application/json", 400);
        }
        signedBytes(c, "encoding", "UTF-16LE with charset in Content-Type", good.getBytes(Charset.forName("UTF-16LE")),
                "application/json; charset=utf-16le", 400);
        signedBytes(c, "encoding", "ISO-8859-1 with a non-ASCII value", good.replace("pro", "pr\u00f6")
                .getBytes(Charset.forName("ISO-8859-1")), "application/json; charset=iso-8859-1", 400);
        byte[][] invalid = {
            {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFE, (byte) 0xFF},
        };
        for (byte[] seq : invalid) {
            String hex = HexFormat.of().formatHex(seq);
            byte[] inString = splice(good, "\"pro\"", seq, true);
            signedBytes(c, "encoding", "invalid UTF-8 " + hex + " inside a string", inString, "application/json", 400);
            byte[] inForm = concat("type=subscribe&data[id]=cus_hostile&data[plan]=".getBytes(UTF_8), seq);
            Format f = c.format();
            String header = stripeHeader(Long.toString(now()), inForm);
            c.add("encoding", f + ": invalid UTF-8 " + hex + " in a form body", withBytes(render(Events.post(
                    "/webhooks/formy", "x").header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Stripe-Signature", header), f), inForm), 400, forbidden(header, null));
        }
        signedBytes(c, "encoding", "invalid UTF-8 between tokens", splice(good, ",\"data\"", new byte[] {(byte) 0xFF},
                false), "application/json", 400);
        signedBytes(c, "encoding", "gzip magic", concat(new byte[] {0x1f, (byte) 0x8b, 8, 0}, good.getBytes(UTF_8)),
                "application/json", 400);
    }

    static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    /** The body's UTF-8 bytes with {@code seq} put inside the first match of {@code at} (or before it). */
    static byte[] splice(String body, String at, byte[] seq, boolean inside) {
        int i = body.indexOf(at) + (inside ? 2 : 0);
        byte[] head = body.substring(0, i).getBytes(UTF_8);
        byte[] tail = body.substring(i).getBytes(UTF_8);
        return concat(concat(head, seq), tail);
    }

    /** The body does not match its Content-Type, or the form encoding is broken: 400. */
    static void contentTypes(Cases c) {
        String json = stripeBody();
        String[][] jsonAsForm = {
            {"application/x-www-form-urlencoded", json},
            {"application/x-www-form-urlencoded; charset=utf-8", json},
            {"APPLICATION/X-WWW-FORM-URLENCODED", json},
            {"application/x-www-form-urlencoded", "  \n" + json},
            {"application/x-www-form-urlencoded", "[" + json + "]"},
            {"application/x-www-form-urlencoded", "{\"type\":\"subscribe\",\"data\":{\"id\":\"cus_hostile\",\"plan\":\"pro\"}}"},
        };
        for (String[] tb : jsonAsForm) {
            Format f = c.format();
            c.add("content type", f + ": JSON as " + tb[0], render(Events.post("/webhooks/formy", tb[1])
                    .header("Content-Type", tb[0]).header("Stripe-Signature", stripeHeader(Long.toString(now()),
                            tb[1].getBytes(UTF_8))), f), 400, tb[1]);
        }
        String[] notForm = {"application/json", "text/plain", "", "application/x-www-form-urlencode",
            "application/json; charset=utf-8", "multipart/form-data; boundary=x", "application/x-www-form-urlencodedx",
            "application/x-www-form-urlencoded-json"};
        for (String type : notForm) {
            Format f = c.format();
            Events.Request r = Events.post("/webhooks/formy", FORM_BODY).header("Stripe-Signature",
                    stripeHeader(Long.toString(now()), FORM_BODY.getBytes(UTF_8)));
            if (!type.isEmpty()) {
                r.header("Content-Type", type);
            }
            c.add("content type", f + ": form body as " + JSON.valueToTree(type), render(r, f), 400, FORM_BODY);
        }
        String id = "data[id]=cus_hostile&";
        String[] brokenForms = {id + "type=subscribe&data[plan]=%zz", id + "type=subscribe&data[plan]=%",
            id + "type=subscribe&a=%4", id + "type=%E0%A4%A", id + "type=subscribe&%=1",
            id + "type=subscribe&" + "a=1&".repeat(2_001), id + "type=subscribe&data" + "[x]".repeat(17) + "=1",
            id + "type=subscribe&data[plan]=%C0%AF", id + "type=subscribe&data[plan]=%ED%A0%80",
            id + "type=subscribe&data[plan]=%FF", id + "type=subscribe&data[plan]=%E2%82",
            id + "type=subscribe&data[plan]=%\u0661\u0661", id + "type=subscribe&data[plan]=%+1",
            id + "type=subscribe&data[plan]=%-1", id + "type=subscribe&data[plan]=%\uFF21\uFF21",
        };
        for (String form : brokenForms) {
            Format f = c.format();
            c.add("content type", f + ": form " + abbreviate(form), render(Events.post("/webhooks/formy", form)
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Stripe-Signature",
                            stripeHeader(Long.toString(now()), form.getBytes(UTF_8))), f), 400,
                    longOnly(form));
        }
        // two Content-Type headers: the body is neither
        String neither = "{\"type\":%zz";
        String event = mutate(Events.post("/webhooks/formy", neither).header("Stripe-Signature",
                stripeHeader(Long.toString(now()), neither.getBytes(UTF_8))).restApi(), e -> {
                    ((ObjectNode) e.get("multiValueHeaders")).putArray("Content-Type").add("application/json")
                            .add("application/x-www-form-urlencoded");
                    headersOf(e).put("content-type", "application/x-www-form-urlencoded");
                });
        c.add("content type", "REST: two Content-Types, body is neither", event, 400);
    }

    /**
     * Signed JSON that matches a rule but whose values cannot be coerced, some of them numbers whose exponent
     * would make exact arithmetic explode: found before any ChartMogul call and held (200), the rest applied.
     */
    static void hostileValues(Cases c) {
        String[][] values = {
            {"\"seats\":\"3\"", "\"seats\":1e999999999"}, {"\"seats\":\"3\"", "\"seats\":1e-999999999"},
            {"\"seats\":\"3\"", "\"seats\":1e300000000"}, {"\"created\":1677833998", "\"created\":1e300000000"},
            {"\"created\":1677833998", "\"created\":1e-300000000"},
            {"\"seats\":\"3\"", "\"seats\":\"1e999999999\""}, {"\"seats\":\"3\"", "\"seats\":-1E+2147483647"},
            {"\"mrr\":\"10.50\"", "\"mrr\":1e999999999"}, {"\"mrr\":\"10.50\"", "\"mrr\":\"1E-999999999\""},
            {"\"plan\":\"pro\"", "\"plan\":1e999999999"}, {"\"delinquent\":false", "\"delinquent\":1e999999999"},
            {"\"delinquent\":false", "\"delinquent\":1e-999999999"},
            {"\"created\":1677833998", "\"created\":1e999999999"}, {"\"created\":1677833998", "\"created\":1e-999999999"},
            {"\"seats\":\"3\"", "\"seats\":\"" + "9".repeat(40) + "\""}, {"\"plan\":\"pro\"", "\"plan\":\"" + "p".repeat(256) + "\""},
            {"\"plan\":\"pro\"", "\"plan\":{\"nested\":true}"}, {"\"created\":1677833998", "\"created\":\"2023-02-30\""},
            {"\"created\":1677833998", "\"created\":-9000000000000000000"},
            {"\"created\":1677833998", "\"created\":-31556889864403200"},
            {"\"created\":1677833998", "\"created\":1000000000000000"}, {"\"created\":1677833998", "\"created\":-1e11"},
        };
        for (String[] v : values) {
            String body = stripeBody().replace(v[0], v[1]);
            Format f = c.format();
            c.add("value", f + ": " + abbreviate(v[1]), render(stripe("/webhooks/stripe", body), f), 200, body);
        }
    }

    /**
     * DESIGN §3's order, exhaustively: integration, method, size, signature, body. Every combination of failing
     * checks answers with the first one that fails.
     */
    static void checkOrder(Cases c) {
        int mib = 1024 * 1024;
        String[] codes = {"integration", "method", "size", "signature", "body"};
        int[] statuses = {404, 405, 413, 401, 400};
        for (int mask = 1; mask < 32; mask++) {
            boolean badIntegration = (mask & 1) != 0;
            boolean badMethod = (mask & 2) != 0;
            boolean badSize = (mask & 4) != 0;
            boolean badSignature = (mask & 8) != 0;
            boolean badBody = (mask & 16) != 0;
            String body = badBody ? "{\"type\":\"customer.updated\",\"pad\":\"" : stripeBody();
            if (badSize) {
                body = badBody ? body + "x".repeat(mib) : padded(body, mib + 1);
            }
            String t = Long.toString(now());
            String header = badSignature ? "t=" + t + ",v1=" + stripeHex("whsec_wrong", t, body.getBytes(UTF_8))
                    : stripeHeader(t, body.getBytes(UTF_8));
            Events.Request r = Events.post("/webhooks/stripe", body).header("Content-Type", "application/json")
                    .header("Stripe-Signature", header);
            if (badMethod) {
                r = r.method("PUT");
            }
            Format f = Format.values()[mask % 3];
            String event = render(r, f);
            if (badIntegration) {
                event = f == Format.FUNCTION_URL
                        ? mutate(event, e -> e.put("rawPath", "/webhooks/str\u0456pe"))
                        : mutate(event, e -> ((ObjectNode) e.get("pathParameters")).put("integration", "str\u0456pe"));
            }
            int expected = 0;
            StringBuilder failing = new StringBuilder();
            boolean[] bad = {badIntegration, badMethod, badSize, badSignature, badBody};
            for (int k = 0; k < bad.length; k++) {
                if (bad[k]) {
                    expected = expected == 0 ? statuses[k] : expected;
                    failing.append(failing.length() == 0 ? "" : "+").append(codes[k]);
                }
            }
            c.add("check order", f + ": bad " + failing, event, expected, forbidden(header, body.length() > 4096
                    ? body.substring(0, 4096) : body));
        }
    }

    /** The text as a forbidden echo when it is long enough to be told apart from ordinary words. */
    static String[] longOnly(String text) {
        return text.length() >= 8 ? new String[] {text} : new String[0];
    }

    static String abbreviate(String s) {
        String shown = s.length() <= 48 ? s : s.substring(0, 48) + "…(" + s.length() + ")";
        return shown.replace("\u0000", "\\0").replace("\n", "\\n").replace("\r", "\\r");
    }

    // ---------------------------------------------------------------------------------------------------------
    // the tests

    @Test
    void theUnmutatedRequestsAreAppliedSoEveryMutationIsWhatFails() {
        try (RelayHarness control = harness()) {
            for (Format f : Format.values()) {
                assertThat(control.invoke(render(stripe("/webhooks/stripe", stripeBody()), f)).status()).as(f.name())
                        .isEqualTo(200);
                Events.Request sw = Events.post("/webhooks/standard", STANDARD_BODY)
                        .header("Content-Type", "application/json").header("webhook-id", "msg_1")
                        .header("webhook-timestamp", Long.toString(now()))
                        .header("webhook-signature", "v1," + swSignature("msg_1", Long.toString(now()), SW_KEY,
                                STANDARD_BODY.getBytes(UTF_8)));
                assertThat(control.invoke(render(sw, f)).status()).as("standard " + f).isEqualTo(200);
                Events.Request form = Events.post("/webhooks/formy", FORM_BODY)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Stripe-Signature", stripeHeader(Long.toString(now()), FORM_BODY.getBytes(UTF_8)));
                assertThat(control.invoke(render(form, f)).status()).as("form " + f).isEqualTo(200);
                String small = "{\"data\":{\"object\":{\"id\":\"cus_hostile\",\"metadata\":{\"plan\":\"pro\"}}}}";
                assertThat(control.invoke(render(stripe("/webhooks/small", padded(small, SMALL_LIMIT)), f)).status())
                        .as("small at the limit " + f).isEqualTo(200);
            }
            assertThat(control.invoke(stripe("/webhooks/stripe", stripeBody()).base64().restApi()).status())
                    .isEqualTo(200);
            assertThat(control.chartmogul.requests("PUT")).isNotEmpty();
        }
    }

    @TestFactory
    Stream<DynamicTest> hostileRequestsEarnA4xxWithAReasonAndNeverReachChartMogul() {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.category() + " — " + k.name(), () -> check(k)));
    }

    static void check(Case k) {
        int logBefore = h.log().length();
        int callsBefore = h.chartmogul.requests().size();
        Reply r = invokeBytes(k.event());
        TALLY.merge(r.status(), 1, Integer::sum);
        assertThat(r.status()).as("status of %s — %s: %s", k.category(), k.name(), r).isEqualTo(k.expected());
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = r.body();
        boolean held = k.category().equals("value");
        if (held) {
            assertThat(body.path("status").asText()).as("status in %s", body).isEqualTo("held");
            assertThat(body.path("held").asInt()).isEqualTo(1);
        } else {
            assertThat(r.status()).isBetween(400, 499);
            assertThat(body.path("error").isTextual()).as("error in %s", body).isTrue();
            assertThat(body.path("error").asText()).isNotBlank();
        }
        assertThat(body.path("message").isTextual()).as("message in %s", body).isTrue();
        assertThat(body.path("message").asText()).isNotBlank();
        String message = body.path("message").asText();
        String log = h.log().substring(logBefore);
        for (String secret : List.of(SIGNING_SECRET, SW_SECRET, Base64.getEncoder().encodeToString(SW_KEY), API_KEY)) {
            assertThat(message).doesNotContain(secret);
            assertThat(log).doesNotContain(secret);
        }
        // mapping problems quote the one offending value, cut at 40 characters, and the log names the event id:
        // both by design, so there only a longer stretch of the body counts as an echo
        int window = k.category().equals("value") ? 48 : 24;
        for (String f : k.forbidden()) {
            assertNoEcho(message, f, window);
            assertNoEcho(log, f, 48);
        }
        List<FakeChartMogul.Recorded> calls = h.chartmogul.requests().subList(callsBefore, h.chartmogul.requests().size());
        if (held) {
            // the other attributes go; the held value never reaches ChartMogul in any form
            for (FakeChartMogul.Recorded call : calls) {
                for (String f : k.forbidden()) {
                    assertNoEcho(call.body() == null ? "" : call.body(), f, 48);
                }
            }
        } else {
            assertThat(calls).as("ChartMogul calls for %s — %s", k.category(), k.name()).isEmpty();
        }
    }

    /** No stretch of {@code size} characters of the forbidden text appears (sampled for long texts). */
    static void assertNoEcho(String text, String forbidden, int size) {
        if (forbidden.length() < size) {
            assertThat(text).doesNotContain(forbidden);
            return;
        }
        int step = Math.max(1, forbidden.length() / 512);
        for (int i = 0; i + size <= forbidden.length(); i += step) {
            String window = forbidden.substring(i, i + size);
            if (!window.isBlank() && text.contains(window)) {
                throw new AssertionError("echoes \"" + abbreviate(window) + "\": " + abbreviate(text));
            }
        }
    }

    /** The envelope's own receive time (not the body's, whose quotes are escaped); see {@link #receivedNow}. */
    private static final java.util.regex.Pattern RECEIVED = java.util.regex.Pattern.compile(
            "\"(timeEpoch|requestTimeEpoch)\":[0-9]+");

    /**
     * The event as API Gateway would deliver it now. Cases are rendered all at once, before the first runs, and
     * the response budget counts from the receive time in the envelope: on a busy machine the last cases would
     * otherwise arrive with their budget spent, and be answered 503 for that instead of for what they test.
     */
    static byte[] receivedNow(byte[] event) {
        String text = new String(event, StandardCharsets.ISO_8859_1); // byte for byte, whatever the encoding
        java.util.regex.Matcher m = RECEIVED.matcher(text);
        if (!m.find()) {
            return event;
        }
        return (text.substring(0, m.start()) + "\"" + m.group(1) + "\":" + System.currentTimeMillis()
                + text.substring(m.end())).getBytes(StandardCharsets.ISO_8859_1);
    }

    static Reply invokeBytes(byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ApiGatewayHandler(h.relay, Clock.systemUTC()).handleRequest(
                    new ByteArrayInputStream(receivedNow(event)), out,
                    new TestContext(20_000));
            return new Reply(JSON.readTree(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
