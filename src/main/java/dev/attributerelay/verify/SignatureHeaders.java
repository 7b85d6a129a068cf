package dev.attributerelay.verify;

import dev.attributerelay.inbound.Headers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading signature headers that may arrive more than once. HTTP API (payload 2.0) joins a repeated
 * header into one comma-separated value, REST API keeps each value; both read as one list here.
 */
final class SignatureHeaders {
    private SignatureHeaders() {
    }

    /** Every comma-separated, trimmed, non-empty item of every value of the header, in order. */
    static List<String> items(Headers headers, String name) {
        List<String> out = new ArrayList<>();
        for (String value : headers.all(name)) {
            for (String item : value.split(",")) {
                String trimmed = item.trim();
                if (!trimmed.isEmpty()) {
                    out.add(trimmed);
                }
            }
        }
        return out;
    }

    /** Refused naming the first header when none of them is present with a value; null when one is. */
    static Verdict.Refused absent(Headers headers, String... names) {
        for (String name : names) {
            if (first(headers, name) != null) {
                return null;
            }
        }
        return new Verdict.Refused("the " + String.join(" (or ", names) + ")".repeat(names.length - 1)
                + " header is missing");
    }

    /** The first value, trimmed; null when absent or blank. */
    static String first(Headers headers, String name) {
        String v = headers.first(name);
        if (v == null) {
            return null;
        }
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    /**
     * The {@code key=value} fields of one header value, such as Stripe's {@code t=…,v1=…,v1=…}: items are
     * split at {@code separator} and at their first {@code =}; an item without {@code =} is skipped.
     *
     * @param trim whether spaces around each key and value are dropped (Paddle) or kept as sent (Stripe)
     */
    static Fields fields(String value, char separator, boolean trim) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        // split by hand: String.split with a quoted separator compiles a regex on every request
        int start = 0;
        while (start <= value.length()) {
            int end = value.indexOf(separator, start);
            if (end < 0) {
                end = value.length();
            }
            int eq = value.indexOf('=', start);
            if (eq >= 0 && eq < end) {
                String key = value.substring(start, eq);
                String v = value.substring(eq + 1, end);
                byKey.computeIfAbsent(trim ? key.trim() : key, k -> new ArrayList<>()).add(trim ? v.trim() : v);
            }
            start = end + 1;
        }
        return new Fields(byKey);
    }

    /** A header's fields by key, each key's values in the order they came. */
    record Fields(Map<String, List<String>> byKey) {

        /** The first value of the key, as the providers' own libraries read a repeated timestamp; null when absent. */
        String first(String key) {
            List<String> values = all(key);
            return values.isEmpty() ? null : values.get(0);
        }

        /** Every value of the key, in order; empty when absent. */
        List<String> all(String key) {
            return byKey.getOrDefault(key, List.of());
        }
    }
}
