package dev.attributerelay.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.attributerelay.inbound.Payloads;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * The body decoders. Only {@link Payloads.BadPayload} (a 400) may escape, with a message; what they return is a
 * tree of maps, lists and scalars an expression can read, bounded as documented.
 */
class PayloadsFuzzTest {
    static final String FORM = "application/x-www-form-urlencoded";

    @Timeout(5)
    @DictionaryEntries({"=", "&", "[", "]", "[]", "%", "%5B", "%5D", "%25", "+", "%C0%AF", "%ED%A0%80", "%F0%9F%98%80",
        "data[merges][FNAME]", "type=subscribe"})
    @FuzzTest(maxDuration = "30s")
    void formBody(byte[] body) {
        Object parsed;
        try {
            parsed = Payloads.parse(body, FORM);
        } catch (Payloads.BadPayload e) {
            requireMessage(e);
            return;
        }
        if (!(parsed instanceof Map)) {
            throw new AssertionError("a form decoded to " + parsed.getClass().getSimpleName() + ", not a map");
        }
        int leaves = checkForm(parsed, 0);
        if (leaves > 2_000) {
            throw new AssertionError("a form decoded to " + leaves + " values, over the 2000-field bound");
        }
    }

    @Timeout(5)
    @DictionaryEntries({"{", "}", "[", "]", "\"", ":", ",", "1e999999999", "-0", "\\u0000", "\\uD800", "\uFEFF"})
    @FuzzTest(maxDuration = "30s")
    void jsonBody(byte[] body) {
        Object parsed;
        try {
            parsed = Payloads.parse(body, "application/json");
        } catch (Payloads.BadPayload e) {
            requireMessage(e);
            return;
        }
        if (!(parsed instanceof Map) && !(parsed instanceof List)) {
            throw new AssertionError("JSON decoded to " + parsed.getClass().getSimpleName());
        }
    }

    static void requireMessage(Payloads.BadPayload e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("BadPayload without a message");
        }
    }

    /** Maps of maps, lists of strings and strings only; nesting within the decoder's bound. Counts leaves. */
    static int checkForm(Object node, int depth) {
        if (depth > 17) {
            throw new AssertionError("form nesting deeper than the 16-level bound");
        }
        if (node instanceof String) {
            return 1;
        }
        if (node instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String)) {
                    throw new AssertionError("a form list holds " + (o == null ? "null" : o.getClass().getSimpleName()));
                }
            }
            return list.size();
        }
        if (node instanceof Map<?, ?> map) {
            int n = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new AssertionError("a form key is not a string");
                }
                n += checkForm(e.getValue(), depth + 1);
            }
            return n;
        }
        throw new AssertionError("a form value is " + (node == null ? "null" : node.getClass().getSimpleName()));
    }
}
