package dev.attributerelay.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.attributerelay.inbound.Headers;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.verify.Schemes;
import dev.attributerelay.verify.SignRequest;
import dev.attributerelay.verify.SignatureScheme;
import dev.attributerelay.verify.Signed;
import dev.attributerelay.verify.Verdict;
import dev.attributerelay.verify.VerifySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * Every signature scheme's verifier against fuzzed headers, query, body and secrets. A verifier may only answer
 * Verified or Refused (with a reason that quotes no secret and no signature); any exception is a finding.
 *
 * <p>Seeds: {@code src/test/resources/dev/attributerelay/fuzz/SignatureSchemesFuzzTestInputs/<method>/}, in the
 * {@link FuzzRequest} layout for {@link #anyRequest}, raw bytes for {@link #signedThenAltered}.
 */
class SignatureSchemesFuzzTest {
    /** Verifiers run at this instant; seeds sign their timestamps for it, so they stay valid forever. */
    static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);
    static final String PUBLIC_URL = "https://hooks.example.com/webhooks/fuzz";
    /** Always among the secrets; no answer may quote it. Valid as a Standard Webhooks key too. */
    static final String FIXED_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "fixed-fuzz-secret-0123456789abcd".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    static final String UNRELATED_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "an-unrelated-secret-that-matches".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    /** A long token with a digit: what a signature or secret looks like, never what a reason is made of. */
    static final Pattern SIGNATURE_LIKE = Pattern.compile("[^\\s]{24,}");

    static final List<String> NAMES = new ArrayList<>();
    static final Map<String, SignatureScheme> SCHEMES = new LinkedHashMap<>();

    static {
        for (String name : Schemes.NAMES) {
            SCHEMES.put(name, Schemes.create(new VerifySpec(name, "fuzz_secret", Duration.ofSeconds(300), PUBLIC_URL,
                    name.equals("none"), false)));
        }
        SCHEMES.put("hubspot-v3+legacy", Schemes.create(new VerifySpec("hubspot-v3", "fuzz_secret",
                Duration.ofSeconds(300), PUBLIC_URL, false, true)));
        NAMES.addAll(SCHEMES.keySet());
    }

    /** Any request at all: the verdict is Verified or Refused, and Verified depends on the secret. */
    @Timeout(5)
    @DictionaryEntries({"t=", ",v1=", "v1,", "v1=", "ts=", ";h1=", "sha256=", "sha1=", "Basic ", "whsec_", "token",
        "Stripe-Signature: ", "Paddle-Signature: ", "X-Hub-Signature-256: ", "X-Hub-Signature: ",
        "X-Shopify-Hmac-Sha256: ", "X-HubSpot-Signature-v3: ", "X-HubSpot-Request-Timestamp: ",
        "X-HubSpot-Signature: ", "X-HubSpot-Signature-Version: ", "X-CIO-Signature: ", "X-CIO-Timestamp: ",
        "Recurly-Signature: ", "Authorization: ", "webhook-id: ", "webhook-timestamp: ", "webhook-signature: ",
        "svix-id: ", "svix-timestamp: ", "svix-signature: ", "1700000000", "1700000000000", "\u0661", "\uFF10"})
    @FuzzTest(maxDuration = "30s")
    void anyRequest(byte[] input) {
        FuzzRequest r = FuzzRequest.parse(input);
        SignatureScheme scheme = r.pick(NAMES, SCHEMES);
        List<String> secrets = new ArrayList<>(r.secrets);
        secrets.add(FIXED_SECRET);
        Inbound in = r.inbound("fuzz", NOW);
        scheme.isHandshake(in);
        Verdict v = scheme.verify(in, secrets, NOW);
        checkVerdict(scheme, v, r.headerValues);
        if (v instanceof Verdict.Verified && scheme.needsSecret()) {
            Verdict other = scheme.verify(in, List.of(UNRELATED_SECRET), NOW);
            if (!(other instanceof Verdict.Refused)) {
                throw new AssertionError(scheme.getClass().getSimpleName()
                        + " verified the same request with an unrelated secret");
            }
        }
    }

    /**
     * A request the scheme's own signer signed must verify; with one character of a signed value (header or
     * query) replaced by a non-ASCII code point it must not: Unicode digits, fullwidth letters, look-alike
     * separators and spaces are not the ASCII the provider sent.
     */
    @Timeout(5)
    @FuzzTest(maxDuration = "30s")
    void signedThenAltered(FuzzedDataProvider data) {
        String name = data.pickValue(NAMES);
        SignatureScheme scheme = SCHEMES.get(name);
        if (!scheme.needsSecret()) {
            return;
        }
        String secret = secretFor(name, data);
        if (secret.isEmpty()) {
            return; // an empty secret is a configuration mistake, and url-token rightly refuses an empty token
        }
        String id = "msg_" + data.consumeAsciiString(12).replaceAll("[^A-Za-z0-9_]", "");
        int target = data.consumeInt(0, 16);
        int position = data.consumeInt(0, 1 << 12);
        int codePoint = data.consumeBoolean() ? data.pickValue(TRICKY) : nonAscii(data.consumeInt(0x80, 0x10FFFF));
        byte[] body = data.consumeRemainingAsBytes();
        Signed signed;
        try {
            signed = scheme.sign(new SignRequest("POST", PUBLIC_URL, body, secret, NOW, id));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return; // a secret this scheme cannot sign with (not base64, no ':'): the signer said so
        }
        Verdict own = scheme.verify(inbound(signed.headers(), signed.url(), body), List.of(secret), NOW);
        if (!(own instanceof Verdict.Verified)) {
            throw new AssertionError(name + ": its own signature does not verify: " + own);
        }
        // the values a provider's signature travels in: each signed header, and the query string
        List<String> slots = new ArrayList<>(signed.headers().keySet());
        String query = signed.url().indexOf('?') < 0 ? null : signed.url().substring(signed.url().indexOf('?') + 1);
        if (query != null) {
            slots.add("?");
        }
        if (slots.isEmpty()) {
            return;
        }
        String slot = slots.get(target % slots.size());
        Map<String, String> headers = new LinkedHashMap<>(signed.headers());
        String url = signed.url();
        if (slot.equals("?")) {
            url = url.substring(0, url.indexOf('?') + 1) + replaceAt(query, position, codePoint);
        } else {
            headers.put(slot, replaceAt(headers.get(slot), position, codePoint));
        }
        Verdict altered = scheme.verify(inbound(headers, url, body), List.of(secret), NOW);
        if (altered instanceof Verdict.Verified) {
            throw new AssertionError(name + ": still verified with U+" + Integer.toHexString(codePoint).toUpperCase()
                    + " put into " + (slot.equals("?") ? "the query string" : slot));
        }
        checkVerdict(scheme, altered, List.copyOf(headers.values()));
    }

    /** Characters that other scripts read as ASCII digits, letters, separators or spaces. */
    static final List<Integer> TRICKY = List.of(
            0x0660, 0x0661, 0x06F1, 0x0967, 0x09E7, 0x0E51, 0x1811, 0xFF10, 0xFF11, 0xFF21, 0xFF41, 0x00B9, 0x2081,
            0x212A, 0x0130, 0x0131, 0x017F, 0x00A0, 0x2000, 0x2003, 0x3000, 0x200B, 0xFEFF, 0x2010, 0x2011, 0xFF0C,
            0xFF1D, 0xFF1B, 0x037E, 0x0391, 0x0430, 0x0435, 0x043E, 0x0440, 0x0455, 0x0456, 0x1D7CF, 0x1D7D9, 0xE0061);

    static int nonAscii(int cp) {
        return cp >= 0xD800 && cp <= 0xDFFF ? cp + 0x800 : cp;
    }

    static String replaceAt(String value, int position, int codePoint) {
        if (value.isEmpty()) {
            return new String(Character.toChars(codePoint));
        }
        int at = position % value.length();
        return value.substring(0, at) + new String(Character.toChars(codePoint)) + value.substring(at + 1);
    }

    /** A secret of the form the scheme's secrets have, drawn from the fuzzer. */
    static String secretFor(String name, FuzzedDataProvider data) {
        switch (name) {
            case "standard-webhooks":
                return "whsec_" + Base64.getEncoder().encodeToString(data.consumeBytes(48));
            case "basic-auth":
                return data.consumeString(24).replace(":", "") + ":" + data.consumeString(24);
            default:
                return data.consumeString(64);
        }
    }

    /** The request as the handler would build it; the path is the public URL's, the query whatever follows '?'. */
    static Inbound inbound(Map<String, String> headers, String url, byte[] body) {
        Headers.Builder h = Headers.builder();
        headers.forEach(h::add);
        String rawQuery = url.indexOf('?') < 0 ? null : url.substring(url.indexOf('?') + 1);
        return new Inbound("fuzz", "POST", "/webhooks/fuzz", rawQuery == null ? Map.of() : FuzzRequest.query(rawQuery),
                h.build(), body, NOW, "fuzz-request");
    }

    static void checkVerdict(SignatureScheme scheme, Verdict v, List<String> headerValues) {
        if (v == null) {
            throw new AssertionError(scheme.getClass().getSimpleName() + " answered null");
        }
        if (v instanceof Verdict.Refused refused) {
            String reason = refused.reason();
            if (reason == null || reason.isBlank()) {
                throw new AssertionError(scheme.getClass().getSimpleName() + " refused without a reason");
            }
            if (reason.contains(FIXED_SECRET) || reason.contains(FIXED_SECRET.substring(6))) {
                throw new AssertionError(scheme.getClass().getSimpleName() + " quoted the secret: " + reason);
            }
            for (String value : headerValues) {
                var m = SIGNATURE_LIKE.matcher(value);
                while (m.find()) {
                    String token = m.group();
                    if (token.chars().anyMatch(Character::isDigit) && reason.contains(token)) {
                        throw new AssertionError(scheme.getClass().getSimpleName() + " quoted a header value");
                    }
                }
            }
        }
    }
}
