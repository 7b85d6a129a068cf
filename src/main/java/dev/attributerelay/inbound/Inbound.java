package dev.attributerelay.inbound;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One webhook delivery, normalized from whichever API Gateway payload format carried it.
 *
 * @param integration the key under {@code integrations:} named by the path
 * @param method      upper-case HTTP method
 * @param path        the request path as the caller sent it (no query string)
 * @param query       decoded query parameters; a name may repeat
 * @param headers     case-insensitive headers
 * @param body        the raw body bytes, base64-decoded where API Gateway encoded them
 * @param receivedAt  when API Gateway received the request
 * @param requestId   API Gateway's request id, for logs
 */
public record Inbound(
        String integration,
        String method,
        String path,
        Map<String, List<String>> query,
        Headers headers,
        byte[] body,
        Instant receivedAt,
        String requestId) {

    public Inbound {
        query = query == null ? Map.of() : inOrder(query);
        headers = headers == null ? Headers.empty() : headers;
        body = body == null ? new byte[0] : body;
    }

    /** An unmodifiable copy that keeps arrival order (a signed URL's query string depends on it). */
    private static Map<String, List<String>> inOrder(Map<String, List<String>> query) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        query.forEach((k, v) -> copy.put(k, v == null ? List.of() : List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
