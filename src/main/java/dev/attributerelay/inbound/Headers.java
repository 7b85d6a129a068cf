package dev.attributerelay.inbound;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP headers looked up case-insensitively. REST API events may carry the same header twice in
 * different case (in {@code headers} and {@code multiValueHeaders}); every value is kept, in order.
 */
public final class Headers {
    private final Map<String, List<String>> values;

    private Headers(Map<String, List<String>> values) {
        this.values = values;
    }

    public static Headers empty() {
        return new Headers(Map.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first value of a header, or null. */
    public String first(String name) {
        List<String> all = values.get(lower(name));
        return all == null || all.isEmpty() ? null : all.get(0);
    }

    /** Every value of a header, in arrival order; empty when absent. */
    public List<String> all(String name) {
        return values.getOrDefault(lower(name), List.of());
    }

    public boolean contains(String name) {
        return values.containsKey(lower(name));
    }

    /** Lower-cased names, for diagnostics that list which headers were present (never values). */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /**
     * Header names fold case as HTTP does: A-Z only. {@link String#toLowerCase} would also fold the Kelvin
     * sign (U+212A) to 'k', so {@code webhooK-signature} would be read as {@code webhook-signature}.
     */
    static String lower(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(name);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? name : out.toString();
    }

    public static final class Builder {
        private final Map<String, List<String>> values = new TreeMap<>();

        /** Adds a value unless the same name already holds exactly that value (REST v1 repeats headers). */
        public Builder add(String name, String value) {
            if (name == null || value == null) {
                return this;
            }
            List<String> list = values.computeIfAbsent(lower(name), k -> new ArrayList<>(1));
            if (!list.contains(value)) {
                list.add(value);
            }
            return this;
        }

        public Builder addAll(Map<String, String> single) {
            if (single != null) {
                single.forEach(this::add);
            }
            return this;
        }

        public Builder addAllMulti(Map<String, List<String>> multi) {
            if (multi != null) {
                multi.forEach((name, list) -> {
                    if (list != null) {
                        list.forEach(v -> add(name, v));
                    }
                });
            }
            return this;
        }

        public Headers build() {
            Map<String, List<String>> copy = new TreeMap<>();
            values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new Headers(Collections.unmodifiableMap(copy));
        }
    }
}
