package dev.attributerelay.verify;

import dev.attributerelay.inbound.Headers;
import java.util.ArrayList;
import java.util.List;

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

    /** The first value, trimmed; null when absent or blank. */
    static String first(Headers headers, String name) {
        String v = headers.first(name);
        if (v == null) {
            return null;
        }
        v = v.trim();
        return v.isEmpty() ? null : v;
    }
}
