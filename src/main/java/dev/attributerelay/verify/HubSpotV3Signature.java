package dev.attributerelay.verify;

import dev.attributerelay.inbound.Inbound;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HubSpot's request signatures.
 *
 * <p>v3: {@code X-HubSpot-Signature-v3} is the base64 HMAC-SHA256, keyed with the app's client secret,
 * of {@code method + uri + raw body + X-HubSpot-Request-Timestamp} (milliseconds), where in the URI the
 * escapes {@code %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B} are decoded first, as HubSpot's
 * documentation says.
 *
 * <p>The URI is the one HubSpot called, which API Gateway behind a custom domain cannot know, so it is
 * configured ({@code public_url}). When {@code public_url} has a query string it is used verbatim (the
 * exact form: put the query string there if the URL registered in HubSpot has one). Otherwise a query
 * string on the request is appended, re-encoded from its decoded parameters in arrival order: exact
 * for plain values, a best effort for values that needed escaping.
 *
 * <p>Legacy, only when {@code legacy_versions: true}: without a v3 header, {@code X-HubSpot-Signature}
 * with {@code X-HubSpot-Signature-Version} v1 (hex SHA-256 of {@code secret + body}) or v2 (hex SHA-256 of
 * {@code secret + method + uri + body}, the URI not decoded). Neither signs a time, so such a request can
 * be replayed; that is why they are off by default. When a v3 header is present it alone decides.
 */
public final class HubSpotV3Signature implements SignatureScheme {
    public static final String SIGNATURE_V3 = "X-HubSpot-Signature-v3";
    public static final String TIMESTAMP = "X-HubSpot-Request-Timestamp";
    public static final String SIGNATURE_LEGACY = "X-HubSpot-Signature";
    public static final String VERSION = "X-HubSpot-Signature-Version";
    private static final Pattern V3_DECODED = Pattern.compile("%(3[aAbBfF]|40|2[14789aAcCfF])");

    private final String publicUrl;
    private final Duration tolerance;
    private final boolean legacyVersions;

    public HubSpotV3Signature(String publicUrl, Duration tolerance, boolean legacyVersions) {
        if (publicUrl == null || publicUrl.isBlank()) {
            throw new IllegalArgumentException("hubspot-v3 needs public_url: the URL HubSpot calls, as it signs it");
        }
        this.publicUrl = publicUrl;
        this.tolerance = tolerance;
        this.legacyVersions = legacyVersions;
    }

    @Override
    public Verdict.Refused missingCredential(Inbound request) {
        return legacyVersions
                ? SignatureHeaders.absent(request.headers(), SIGNATURE_V3, SIGNATURE_LEGACY)
                : SignatureHeaders.absent(request.headers(), SIGNATURE_V3);
    }

    @Override
    public Verdict verify(Inbound request, List<String> secrets, Instant now) {
        List<String> items = SignatureHeaders.items(request.headers(), SIGNATURE_V3);
        if (items.isEmpty()) {
            if (legacyVersions) {
                return verifyLegacy(request, secrets);
            }
            return Verdict.refused("the X-HubSpot-Signature-v3 header is missing"
                    + (request.headers().contains(SIGNATURE_LEGACY)
                    ? " (v1/v2 signatures are accepted only with verify.legacy_versions: true)" : ""));
        }
        String timestamp = SignatureHeaders.first(request.headers(), TIMESTAMP);
        if (timestamp == null) {
            return Verdict.refused("the X-HubSpot-Request-Timestamp header is missing");
        }
        Instant signedAt = Timestamps.millis(timestamp);
        if (signedAt == null) {
            return Verdict.refused("the X-HubSpot-Request-Timestamp header is not whole milliseconds");
        }
        List<byte[]> signatures = Crypto.decodeAll(items, Crypto::fromBase64);
        if (signatures.isEmpty()) {
            return Verdict.refused("the X-HubSpot-Signature-v3 header is not base64");
        }
        byte[] head = Crypto.utf8(request.method() + v3Uri(publicUrl, request.query()));
        List<byte[]> expected = Crypto.hmacPerSecret(secrets, Crypto.HMAC_SHA256, head, request.body(),
                Crypto.utf8(timestamp));
        if (!Crypto.anySame(expected, signatures)) {
            return Verdict.refused("no HubSpot v3 signature matches the request and the configured client secret"
                    + " (check verify.public_url)");
        }
        return Timestamps.verdict(signedAt, now, tolerance);
    }

    private Verdict verifyLegacy(Inbound request, List<String> secrets) {
        List<String> items = SignatureHeaders.items(request.headers(), SIGNATURE_LEGACY);
        if (items.isEmpty()) {
            return Verdict.refused("the X-HubSpot-Signature-v3 header is missing, and so is the X-HubSpot-Signature header");
        }
        String version = SignatureHeaders.first(request.headers(), VERSION);
        if (version == null) {
            return Verdict.refused("the X-HubSpot-Signature-Version header is missing");
        }
        if (!version.equals("v1") && !version.equals("v2")) {
            return Verdict.refused("the X-HubSpot-Signature-Version header names no version this relay accepts (v1, v2)");
        }
        List<byte[]> signatures = Crypto.decodeAll(items, Crypto::fromHex);
        if (signatures.isEmpty()) {
            return Verdict.refused("the X-HubSpot-Signature header is not hex");
        }
        byte[] between = version.equals("v1") ? new byte[0]
                : Crypto.utf8(request.method() + requestUri(publicUrl, request.query()));
        List<byte[]> expected = Crypto.sha256PerSecret(secrets, between, request.body());
        return Crypto.anySame(expected, signatures) ? Verdict.verified()
                : Verdict.refused("no HubSpot " + version + " signature matches the request and the configured client secret");
    }

    /** The v3 headers HubSpot would send for a request to this integration's public URL. */
    @Override
    public Signed sign(SignRequest r) {
        String timestamp = Long.toString(r.at().toEpochMilli());
        String uri = v3Uri(publicUrl, queryOf(r.url()));
        byte[] mac = Crypto.hmacSha256(Crypto.utf8(r.secret()), Crypto.utf8(r.method() + uri), r.body(),
                Crypto.utf8(timestamp));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SIGNATURE_V3, Crypto.base64(mac));
        headers.put(TIMESTAMP, timestamp);
        return new Signed(r.url(), headers);
    }

    /** The URI as v3 signs it: {@link #requestUri} with HubSpot's listed escapes decoded. */
    static String v3Uri(String publicUrl, Map<String, List<String>> query) {
        String uri = requestUri(publicUrl, query);
        Matcher m = V3_DECODED.matcher(uri);
        StringBuilder out = new StringBuilder(uri.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The configured URL, plus the request's query string when the configured URL has none. */
    static String requestUri(String publicUrl, Map<String, List<String>> query) {
        if (publicUrl.indexOf('?') >= 0 || query.isEmpty()) {
            return publicUrl;
        }
        StringBuilder sb = new StringBuilder(publicUrl).append('?');
        boolean first = true;
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            for (String value : e.getValue()) {
                if (!first) {
                    sb.append('&');
                }
                first = false;
                sb.append(escape(e.getKey())).append('=').append(escape(value));
            }
        }
        return sb.toString();
    }

    /** RFC 3986 percent-encoding: everything but unreserved characters, as UTF-8, upper-case hex. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** The decoded query parameters of a URL, in order, as API Gateway hands them to {@link Inbound}. */
    private static Map<String, List<String>> queryOf(String url) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }
}
