package dev.attributerelay.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds Lambda events in the shapes API Gateway and EventBridge deliver (field names as in AWS's own samples
 * under {@code fixtures/sdk/apigw}), and signs bodies the way providers do, independently of the code under test.
 */
public final class Events {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    /** Stripe's header: {@code t=<ts>,v1=<hex HMAC-SHA256(secret, ts + "." + body)>}. */
    public static String stripeSignature(String secret, long timestamp, String body) {
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(
                hmac(secret.getBytes(StandardCharsets.UTF_8), (timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A builder for one webhook request in any of the three API Gateway payload formats. */
    public static Request post(String path, String body) {
        return new Request("POST", path, body);
    }

    public static final class Request {
        private final String method;
        private final String path;
        private final String body;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String rawQuery = "";
        private boolean base64;
        private Instant receivedAt = Instant.now();

        private Request(String method, String path, String body) {
            this.method = method;
            this.path = path;
            this.body = body;
        }

        public Request method(String m) {
            Request r = new Request(m, path, body);
            r.headers.putAll(headers);
            r.rawQuery = rawQuery;
            r.base64 = base64;
            r.receivedAt = receivedAt;
            return r;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request query(String raw) {
            this.rawQuery = raw;
            return this;
        }

        public Request base64() {
            this.base64 = true;
            return this;
        }

        public Request receivedAt(Instant at) {
            this.receivedAt = at;
            return this;
        }

        private String bodyText() {
            if (body == null) {
                return null;
            }
            return base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body;
        }

        private static String integration(String path) {
            String rest = path.substring(path.indexOf("/webhooks/") + "/webhooks/".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }

        /** HTTP API, payload format 2.0: header names lower-cased, repeated values comma-joined. */
        public String httpApi() {
            ObjectNode e = JSON.createObjectNode();
            e.put("version", "2.0");
            e.put("routeKey", method + " /webhooks/{integration}");
            e.put("rawPath", path);
            e.put("rawQueryString", rawQuery);
            ObjectNode h = e.putObject("headers");
            headers.forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
            ObjectNode rc = e.putObject("requestContext");
            rc.put("accountId", "123456789012");
            rc.put("apiId", "abc123");
            rc.put("domainName", "abc123.execute-api.eu-west-1.amazonaws.com");
            ObjectNode http = rc.putObject("http");
            http.put("method", method);
            http.put("path", path);
            http.put("protocol", "HTTP/1.1");
            http.put("sourceIp", "203.0.113.9");
            rc.put("requestId", "req-" + System.nanoTime());
            rc.put("routeKey", method + " /webhooks/{integration}");
            rc.put("stage", "$default");
            rc.put("timeEpoch", receivedAt.toEpochMilli());
            e.putObject("pathParameters").put("integration", integration(path));
            if (body != null) {
                e.put("body", bodyText());
            }
            e.put("isBase64Encoded", base64);
            return e.toString();
        }

        /** Function URL: payload 2.0 without route or path parameters. */
        public String functionUrl() {
            try {
                ObjectNode e = (ObjectNode) JSON.readTree(httpApi());
                e.remove("pathParameters");
                e.put("routeKey", "$default");
                ((ObjectNode) e.get("requestContext")).put("routeKey", "$default");
                return e.toString();
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        /** REST API, payload 1.0: header case kept; multiValueHeaders repeats every header. */
        public String restApi() {
            ObjectNode e = JSON.createObjectNode();
            e.put("version", "1.0");
            e.put("resource", "/webhooks/{integration}");
            e.put("path", path);
            e.put("httpMethod", method);
            ObjectNode h = e.putObject("headers");
            ObjectNode mh = e.putObject("multiValueHeaders");
            headers.forEach((k, v) -> {
                h.put(k, v);
                ArrayNode a = mh.putArray(k);
                a.add(v);
            });
            ObjectNode q = e.putObject("queryStringParameters");
            ObjectNode mq = e.putObject("multiValueQueryStringParameters");
            if (!rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    String[] kv = pair.split("=", 2);
                    q.put(kv[0], kv.length > 1 ? kv[1] : "");
                    mq.putArray(kv[0]).add(kv.length > 1 ? kv[1] : "");
                }
            }
            ObjectNode rc = e.putObject("requestContext");
            rc.put("accountId", "123456789012");
            rc.put("httpMethod", method);
            rc.put("path", "/prod" + path);
            rc.put("requestId", "req-" + System.nanoTime());
            rc.put("requestTimeEpoch", receivedAt.toEpochMilli());
            rc.put("stage", "prod");
            e.putObject("pathParameters").put("integration", integration(path));
            if (body != null) {
                e.put("body", bodyText());
            }
            e.put("isBase64Encoded", base64);
            return e.toString();
        }
    }

    /** An EventBridge event envelope with a detail payload. */
    public static String eventBridge(String source, String detailType, String detailJson) {
        return "{\"version\":\"0\",\"id\":\"" + java.util.UUID.randomUUID() + "\",\"detail-type\":\"" + detailType
                + "\",\"source\":\"" + source + "\",\"account\":\"123456789012\",\"time\":\"" + Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\",\"region\":\"eu-west-1\",\"resources\":[],"
                + "\"detail\":" + detailJson + "}";
    }
}
