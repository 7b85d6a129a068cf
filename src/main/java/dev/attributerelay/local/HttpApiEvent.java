package dev.attributerelay.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the HTTP API (payload 2.0) event API Gateway would deliver for a request: header names lower-cased,
 * the integration as a path parameter, and the body as text when it is UTF-8 JSON, base64 otherwise (API
 * Gateway encodes form bodies and other non-text types).
 */
final class HttpApiEvent {
    private HttpApiEvent() {
    }

    static String of(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
                     String requestId, Instant receivedAt) {
        ObjectNode e = Json.object();
        e.put("version", "2.0");
        e.put("routeKey", method + " /webhooks/{integration}");
        e.put("rawPath", rawPath);
        e.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        ObjectNode h = e.putObject("headers");
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
        ObjectNode rc = e.putObject("requestContext");
        ObjectNode http = rc.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        rc.put("requestId", requestId);
        rc.put("routeKey", method + " /webhooks/{integration}");
        rc.put("stage", "$default");
        rc.put("timeEpoch", receivedAt.toEpochMilli());
        String integration = integration(rawPath);
        if (integration != null) {
            e.putObject("pathParameters").put("integration", integration);
        }
        String contentType = headers.entrySet().stream().filter(x -> x.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst().orElse("");
        String text = body.length == 0 ? null : utf8(body);
        if (body.length == 0) {
            e.put("isBase64Encoded", false);
        } else if (text != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            e.put("body", text);
            e.put("isBase64Encoded", false);
        } else {
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
        }
        return e.toString();
    }

    private static String integration(String rawPath) {
        int at = rawPath.indexOf("/webhooks/");
        if (at < 0) {
            return null;
        }
        String rest = rawPath.substring(at + "/webhooks/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
