package dev.attributerelay.chartmogul;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads ChartMogul's error bodies into one sentence. They come as {@code {"code","message","param"}},
 * {@code {"errors": {field: msg}}}, {@code {"error": "…"}}, {@code {field: [msgs], "error_details": […]}},
 * or plain text from a proxy.
 */
final class ErrorBody {
    private static final int MAX = 300;

    private ErrorBody() {
    }

    static String message(int status, String body) {
        if (body == null || body.isBlank()) {
            return "HTTP " + status;
        }
        JsonNode n;
        try {
            n = Json.readTree(body);
        } catch (Exception e) {
            return "HTTP " + status + ": " + clip(body.strip());
        }
        if (n == null || !n.isObject()) {
            return "HTTP " + status + ": " + clip(body.strip());
        }
        List<String> parts = new ArrayList<>();
        if (n.path("message").isTextual()) {
            String m = n.get("message").asText();
            if (n.path("param").isTextual()) {
                m += " (" + n.get("param").asText() + ")";
            }
            parts.add(m);
        }
        if (n.path("error").isTextual()) {
            parts.add(n.get("error").asText());
        }
        if (n.path("errors").isObject()) {
            fieldMessages(n.get("errors"), parts);
        } else if (n.path("errors").isArray()) {
            n.get("errors").forEach(e -> parts.add(e.isTextual() ? e.asText() : e.toString()));
        }
        if (parts.isEmpty()) {
            fieldMessages(n, parts);
        }
        return parts.isEmpty() ? "HTTP " + status : clip(String.join("; ", parts));
    }

    private static void fieldMessages(JsonNode obj, List<String> parts) {
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("error_details")) {
                continue;
            }
            JsonNode v = e.getValue();
            if (v.isTextual()) {
                parts.add(e.getKey() + ": " + v.asText());
            } else if (v.isArray()) {
                List<String> msgs = new ArrayList<>();
                v.forEach(m -> msgs.add(m.isTextual() ? m.asText() : m.toString()));
                parts.add(e.getKey() + ": " + String.join(", ", msgs));
            }
        }
    }

    private static String clip(String s) {
        return s.length() <= MAX ? s : s.substring(0, MAX) + "…";
    }
}
