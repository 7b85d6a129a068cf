package dev.attributerelay.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed secret: {@code chartmogul_api_key} and the signing secrets relay.yaml names. A signing secret's
 * value may be a list (rotation: every entry is accepted). A plain, non-JSON string is the API key alone.
 * {@link #toString()} never shows a value.
 */
public final class RelaySecrets {
    public static final String API_KEY = "chartmogul_api_key";

    private final Map<String, List<String>> values;

    private RelaySecrets(Map<String, List<String>> values) {
        this.values = values;
    }

    public static RelaySecrets parse(String raw, String describe) {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty()) {
            throw new SecretsUnavailableException(describe + " is empty");
        }
        if (!text.startsWith("{")) {
            return new RelaySecrets(Map.of(API_KEY, List.of(text)));
        }
        JsonNode root;
        try {
            root = Json.readTree(text);
        } catch (Exception e) {
            // the parser's message may quote the secret: say only where it broke
            throw new SecretsUnavailableException(describe + " is not valid JSON");
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> list = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> {
                    if (v.isTextual() && !v.asText().isEmpty()) {
                        list.add(v.asText());
                    }
                });
            } else if (e.getValue().isTextual() && !e.getValue().asText().isEmpty()) {
                list.add(e.getValue().asText());
            }
            values.put(e.getKey(), List.copyOf(list));
        }
        return new RelaySecrets(Map.copyOf(values));
    }

    /** The ChartMogul API key, or null when the secret has none. */
    public String apiKey() {
        List<String> v = values.get(API_KEY);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value under a key (one, or several during a rotation); empty when absent. */
    public List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    @Override
    public String toString() {
        return "RelaySecrets" + values.keySet();
    }
}
