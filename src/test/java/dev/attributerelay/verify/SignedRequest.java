package dev.attributerelay.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.inbound.Headers;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.lambda.ApiEvents;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A delivery as a test scenario: start from what a scheme signed (or from nothing), then bend it
 * (drop a header, add a bad signature, change a byte) and build the {@link Inbound} the verifier sees.
 */
final class SignedRequest {
    private String method = "POST";
    private String path = "/webhooks/test";
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final List<String[]> headers = new ArrayList<>();
    private final Set<String> credentialHeaders = new LinkedHashSet<>();
    private byte[] body;

    private SignedRequest(byte[] body) {
        this.body = body.clone();
    }

    static SignedRequest post(String body) {
        return new SignedRequest(body.getBytes(StandardCharsets.UTF_8));
    }

    static SignedRequest post(byte[] body) {
        return new SignedRequest(body);
    }

    /** The request a provider sends: the signed URL's query string and the signed headers. */
    static SignedRequest of(Signed signed, byte[] body) {
        SignedRequest r = new SignedRequest(body);
        signed.headers().forEach((k, v) -> {
            r.header(k, v);
            r.credentialHeaders.add(k);
        });
        int q = signed.url().indexOf('?');
        if (q >= 0) {
            for (String pair : signed.url().substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                r.query(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return r;
    }

    SignedRequest method(String m) {
        this.method = m;
        return this;
    }

    SignedRequest header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    /** Replaces every value of a header (matched case-insensitively) with one. */
    SignedRequest setHeader(String name, String value) {
        without(name);
        return header(name, value);
    }

    SignedRequest without(String name) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        return this;
    }

    String headerValue(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** Drops whatever the scheme's signing put in: its headers and the {@code token} parameter. */
    SignedRequest withoutCredentials() {
        credentialHeaders.forEach(this::without);
        query.remove(UrlToken.PARAMETER);
        return this;
    }

    SignedRequest query(String name, String value) {
        query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    SignedRequest body(byte[] b) {
        this.body = b.clone();
        return this;
    }

    SignedRequest body(String b) {
        return body(b.getBytes(StandardCharsets.UTF_8));
    }

    /** Header names in alternating case, as REST API (payload 1.0) passes them on unchanged. */
    SignedRequest withMixedCaseHeaders() {
        for (String[] h : headers) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < h[0].length(); i++) {
                char c = h[0].charAt(i);
                sb.append(i % 2 == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
            h[0] = sb.toString();
        }
        return this;
    }

    Inbound inbound() {
        Headers.Builder b = Headers.builder();
        headers.forEach(h -> b.add(h[0], h[1]));
        return new Inbound("test", method, path, query, b.build(), body.clone(), Instant.EPOCH, "req-1");
    }

    /**
     * The same request carried by an HTTP API (payload 2.0) event whose body API Gateway base64-encoded,
     * read back through the production adapter.
     */
    Inbound throughApiGatewayBase64() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode event = json.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "POST /webhooks/{integration}");
        event.put("rawPath", path);
        StringBuilder raw = new StringBuilder();
        query.forEach((k, vs) -> vs.forEach(v -> raw.append(raw.length() == 0 ? "" : "&")
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8))));
        event.put("rawQueryString", raw.toString());
        ObjectNode h = event.putObject("headers");
        for (String[] header : headers) {
            String name = header[0].toLowerCase(Locale.ROOT);
            h.put(name, h.has(name) ? h.get(name).asText() + "," + header[1] : header[1]);
        }
        event.putObject("pathParameters").put("integration", "test");
        event.put("body", Base64.getEncoder().encodeToString(body));
        event.put("isBase64Encoded", true);
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("requestId", "req-1");
        ctx.put("timeEpoch", 0);
        ctx.putObject("http").put("method", method).put("path", path);
        JsonNode root = event;
        return ApiEvents.toInbound(root, Instant.EPOCH);
    }
}
