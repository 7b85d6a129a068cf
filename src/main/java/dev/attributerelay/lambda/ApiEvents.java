package dev.attributerelay.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.inbound.Headers;
import dev.attributerelay.inbound.HttpReply;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.inbound.PercentEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adapts the three API Gateway payload formats to an {@link Inbound}: HTTP API (2.0), REST API (1.0) and
 * Function URL (2.0 without path parameters). The JSON is read into the typed events by hand: no
 * reflection, so nothing to warm up at cold start.
 */
public final class ApiEvents {
    private static final String WEBHOOKS = "/webhooks/";

    private ApiEvents() {
    }

    /** Whether this JSON is an API Gateway or Function URL event at all. */
    public static boolean isApiEvent(JsonNode root) {
        return root != null && root.isObject() && root.path("requestContext").isObject()
                && (root.has("rawPath") || root.has("httpMethod"));
    }

    /** @throws BadEvent when the body is not a string, or is base64 that does not decode */
    public static Inbound toInbound(JsonNode root, Instant now) {
        JsonNode body = root.get("body");
        if (body != null && !body.isNull() && !body.isTextual()) {
            // API Gateway always sends the body as a string; reading a number or an object as text would
            // verify and parse something the sender never sent
            throw new BadEvent("the event's body is not a string");
        }
        return "2.0".equals(root.path("version").asText()) || root.has("rawPath")
                ? fromV2(root, now)
                : fromV1(root, now);
    }

    /**
     * HTTP API 2.0 and Function URL, read from the tree directly: the typed events of aws-lambda-java-events
     * (about 60 classes) would only carry the fields across on a cold path. {@code ApiEventsTest} checks both
     * ways agree on every recorded event.
     */
    private static Inbound fromV2(JsonNode n, Instant now) {
        JsonNode rc = n.path("requestContext");
        String path = text(n, "rawPath");
        long epoch = rc.path("timeEpoch").asLong(0);
        return new Inbound(integration(stringMap(n.get("pathParameters")), path), upper(text(rc.path("http"), "method")),
                path, query(text(n, "rawQueryString")), Headers.builder().addAll(stringMap(n.get("headers"))).build(),
                body(text(n, "body"), n.path("isBase64Encoded").asBoolean(false)),
                epoch > 0 ? Instant.ofEpochMilli(epoch) : now, text(rc, "requestId"));
    }

    /** REST API 1.0, read from the tree directly (see {@link #fromV2}). */
    private static Inbound fromV1(JsonNode n, Instant now) {
        Headers headers = Headers.builder().addAllMulti(listMap(n.get("multiValueHeaders")))
                .addAll(stringMap(n.get("headers"))).build();
        Map<String, List<String>> query = new LinkedHashMap<>();
        Map<String, List<String>> multi = listMap(n.get("multiValueQueryStringParameters"));
        Map<String, String> single = stringMap(n.get("queryStringParameters"));
        if (multi != null) {
            query.putAll(multi);
        } else if (single != null) {
            single.forEach((k, v) -> query.put(k, List.of(v)));
        }
        JsonNode rc = n.path("requestContext");
        long epoch = rc.has("requestTimeEpoch") ? rc.get("requestTimeEpoch").asLong() : 0;
        String path = text(n, "path");
        return new Inbound(integration(stringMap(n.get("pathParameters")), path), upper(text(n, "httpMethod")), path,
                query, headers, body(text(n, "body"), n.path("isBase64Encoded").asBoolean(false)),
                epoch > 0 ? Instant.ofEpochMilli(epoch) : now, text(rc, "requestId"));
    }

    public static APIGatewayV2HTTPEvent v2(JsonNode n) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setVersion(text(n, "version"));
        e.setRouteKey(text(n, "routeKey"));
        e.setRawPath(text(n, "rawPath"));
        e.setRawQueryString(text(n, "rawQueryString"));
        e.setHeaders(stringMap(n.get("headers")));
        e.setQueryStringParameters(stringMap(n.get("queryStringParameters")));
        e.setPathParameters(stringMap(n.get("pathParameters")));
        e.setBody(text(n, "body"));
        e.setIsBase64Encoded(n.path("isBase64Encoded").asBoolean(false));
        JsonNode rc = n.path("requestContext");
        APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
        ctx.setRequestId(text(rc, "requestId"));
        ctx.setTimeEpoch(rc.path("timeEpoch").asLong(0));
        ctx.setStage(text(rc, "stage"));
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(text(rc.path("http"), "method"));
        http.setPath(text(rc.path("http"), "path"));
        ctx.setHttp(http);
        e.setRequestContext(ctx);
        return e;
    }

    public static APIGatewayProxyRequestEvent v1(JsonNode n) {
        APIGatewayProxyRequestEvent e = new APIGatewayProxyRequestEvent();
        e.setHttpMethod(text(n, "httpMethod"));
        e.setPath(text(n, "path"));
        e.setResource(text(n, "resource"));
        e.setHeaders(stringMap(n.get("headers")));
        e.setMultiValueHeaders(listMap(n.get("multiValueHeaders")));
        e.setQueryStringParameters(stringMap(n.get("queryStringParameters")));
        e.setMultiValueQueryStringParameters(listMap(n.get("multiValueQueryStringParameters")));
        e.setPathParameters(stringMap(n.get("pathParameters")));
        e.setBody(text(n, "body"));
        e.setIsBase64Encoded(n.path("isBase64Encoded").asBoolean(false));
        JsonNode rc = n.path("requestContext");
        APIGatewayProxyRequestEvent.ProxyRequestContext ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setRequestId(text(rc, "requestId"));
        ctx.setHttpMethod(text(rc, "httpMethod"));
        ctx.setPath(text(rc, "path"));
        if (rc.has("requestTimeEpoch")) {
            ctx.setRequestTimeEpoch(rc.get("requestTimeEpoch").asLong());
        }
        e.setRequestContext(ctx);
        return e;
    }

    /** HTTP API 2.0 and Function URL. API Gateway lower-cases names and joins repeated headers with commas. */
    public static Inbound toInbound(APIGatewayV2HTTPEvent e, Instant now) {
        Headers headers = Headers.builder().addAll(e.getHeaders()).build();
        APIGatewayV2HTTPEvent.RequestContext ctx = e.getRequestContext();
        String method = ctx != null && ctx.getHttp() != null ? ctx.getHttp().getMethod() : null;
        String path = e.getRawPath();
        Instant received = ctx != null && ctx.getTimeEpoch() > 0 ? Instant.ofEpochMilli(ctx.getTimeEpoch()) : now;
        return new Inbound(integration(e.getPathParameters(), path), upper(method), path, query(e.getRawQueryString()),
                headers, body(e.getBody(), e.getIsBase64Encoded()), received, ctx == null ? null : ctx.getRequestId());
    }

    /** REST API 1.0: header names keep their case, and may repeat across headers and multiValueHeaders. */
    public static Inbound toInbound(APIGatewayProxyRequestEvent e, Instant now) {
        Headers headers = Headers.builder().addAllMulti(e.getMultiValueHeaders()).addAll(e.getHeaders()).build();
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (e.getMultiValueQueryStringParameters() != null) {
            query.putAll(e.getMultiValueQueryStringParameters());
        } else if (e.getQueryStringParameters() != null) {
            e.getQueryStringParameters().forEach((k, v) -> query.put(k, List.of(v)));
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext ctx = e.getRequestContext();
        Instant received = ctx != null && ctx.getRequestTimeEpoch() != null && ctx.getRequestTimeEpoch() > 0
                ? Instant.ofEpochMilli(ctx.getRequestTimeEpoch()) : now;
        return new Inbound(integration(e.getPathParameters(), e.getPath()), upper(e.getHttpMethod()), e.getPath(),
                query, headers, body(e.getBody(), Boolean.TRUE.equals(e.getIsBase64Encoded())), received,
                ctx == null ? null : ctx.getRequestId());
    }

    /** The response both payload formats accept, as JSON text. */
    public static String responseJson(HttpReply reply) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("statusCode", reply.status());
        r.put("headers", reply.headers());
        r.put("body", reply.body());
        r.put("isBase64Encoded", false);
        return dev.attributerelay.Json.write(r);
    }

    /** The {integration} path parameter, else the segment after /webhooks/ (Function URLs have no routes). */
    static String integration(Map<String, String> pathParameters, String path) {
        if (pathParameters != null && pathParameters.get("integration") != null) {
            return pathParameters.get("integration");
        }
        if (path == null) {
            return null;
        }
        int at = path.indexOf(WEBHOOKS);
        if (at < 0) {
            return null;
        }
        String rest = path.substring(at + WEBHOOKS.length());
        int slash = rest.indexOf('/');
        String segment = slash < 0 ? rest : rest.substring(0, slash);
        try {
            return segment.isEmpty() ? null : PercentEncoding.decode(segment);
        } catch (IllegalArgumentException ex) {
            return segment;
        }
    }

    private static byte[] body(String body, boolean base64) {
        if (body == null) {
            return new byte[0];
        }
        if (!base64) {
            return body.getBytes(StandardCharsets.UTF_8);
        }
        // the MIME decoder tolerates line breaks, but it also skips any character outside the alphabet, so
        // "QUJD*RA==" would decode as if the '*' were not there: refuse those first
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean alphabet = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+'
                    || c == '/' || c == '=' || c == '\r' || c == '\n';
            if (!alphabet) {
                throw new BadEvent("the body is marked base64 but does not decode");
            }
        }
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new BadEvent("the body is marked base64 but does not decode");
        }
    }

    /** A raw query string ({@code rawQueryString}) as parameters: '&'-separated, each name and value %-decoded. */
    public static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** Strictly decoded; a malformed or non-UTF-8 escape stays as sent, so it matches no token or name. */
    private static String decode(String s) {
        try {
            return PercentEncoding.decode(s);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> stringMap(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    private static Map<String, List<String>> listMap(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else if (!e.getValue().isNull()) {
                values.add(e.getValue().asText());
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    /** The event itself is unusable (400). */
    public static final class BadEvent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadEvent(String message) {
            super(message, null, false, false);
        }
    }
}
