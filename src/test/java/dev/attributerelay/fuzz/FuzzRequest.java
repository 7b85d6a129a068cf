package dev.attributerelay.fuzz;

import dev.attributerelay.inbound.Headers;
import dev.attributerelay.inbound.Inbound;
import dev.attributerelay.lambda.ApiEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A webhook request read from fuzzer bytes, laid out like HTTP so seed files can be written by hand:
 *
 * <pre>
 * selector                        which scheme or integration the input is for (any text; unknown text picks one)
 * secret[TAB]secret...            signing secrets, newest first (may be empty)
 * Header-Name: value              any number of header lines
 * ?a=b&amp;token=c                    a query string line (optional)
 *                                 an empty line
 * body bytes, raw, to the end
 * </pre>
 *
 * Header lines are UTF-8 (invalid bytes become U+FFFD, so any Unicode text is reachable); the body is not decoded.
 */
final class FuzzRequest {
    final String selector;
    final List<String> secrets;
    final Headers headers;
    final List<String> headerValues;
    final Map<String, List<String>> query;
    final byte[] body;

    private FuzzRequest(String selector, List<String> secrets, Headers headers, List<String> headerValues,
                        Map<String, List<String>> query, byte[] body) {
        this.selector = selector;
        this.secrets = secrets;
        this.headers = headers;
        this.headerValues = headerValues;
        this.query = query;
        this.body = body;
    }

    static FuzzRequest parse(byte[] input) {
        int split = indexOf(input, new byte[] {'\n', '\n'});
        byte[] head = split < 0 ? input : Arrays.copyOfRange(input, 0, split);
        byte[] body = split < 0 ? new byte[0] : Arrays.copyOfRange(input, split + 2, input.length);
        String[] lines = new String(head, StandardCharsets.UTF_8).split("\n", -1);
        String selector = lines.length > 0 ? lines[0] : "";
        List<String> secrets = new ArrayList<>();
        if (lines.length > 1) {
            for (String s : lines[1].split("\t", -1)) {
                if (!s.isEmpty()) {
                    secrets.add(s);
                }
            }
        }
        Headers.Builder headers = Headers.builder();
        List<String> values = new ArrayList<>();
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("?")) {
                query.putAll(query(line.substring(1)));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            headers.add(line.substring(0, colon), value);
            values.add(value);
        }
        return new FuzzRequest(selector, secrets, headers.build(), values, query, body);
    }

    /** Picks the named item, or one by the selector's hash when the name is not one of them. */
    <T> T pick(List<String> names, Map<String, T> items) {
        if (items.containsKey(selector)) {
            return items.get(selector);
        }
        return items.get(names.get(Math.floorMod(selector.hashCode(), names.size())));
    }

    Inbound inbound(String integration, Instant receivedAt) {
        return new Inbound(integration, "POST", "/webhooks/" + integration, query, headers, body, receivedAt,
                "fuzz-request");
    }

    /** The query string as the handler reads an HTTP API or Function URL {@code rawQueryString}. */
    static Map<String, List<String>> query(String raw) {
        return ApiEvents.query(raw);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
