package dev.attributerelay.mapping.presets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Rule;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.Fixtures;
import dev.attributerelay.testing.RelayHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One bundled preset behind the real handler, unsigned ({@code scheme: none}), against a loopback ChartMogul
 * that has every attribute the preset declares defined. Signature schemes are tested on their own; re-signed
 * variants of these deliveries belong with them.
 */
final class PresetRun implements AutoCloseable {
    static final String API_KEY = "cm_presets_test_key";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Decimals as sent ("0.00" stays "0.00"). */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    /** Headers a capture recorded that say nothing to a mapping and would be wrong for a re-serialised body. */
    private static final Set<String> DROPPED_HEADERS = Set.of("content-length", "stripe-signature", "paddle-signature",
            "x-hubspot-signature", "x-hubspot-signature-v3", "x-hubspot-signature-version", "x-shopify-hmac-sha256",
            "x-hub-signature", "accept-encoding");

    final RelayHarness h;
    final String preset;
    final Integration integration;

    /** The preset as an integration named after it; {@code settings} are extra integration-level YAML lines. */
    PresetRun(String preset, String... settings) {
        this.preset = preset;
        StringBuilder yaml = new StringBuilder("integrations:\n  " + preset + ":\n")
                .append("    verify: { scheme: none, allow_unsigned: true }\n")
                .append("    preset: ").append(preset).append('\n')
                // each event's whole mapping is asserted, so values equal to an earlier event's are sent again
                .append("    skip_unchanged: false\n");
        for (String s : settings) {
            yaml.append("    ").append(s).append('\n');
        }
        this.integration = ConfigLoader.parse("relay.yaml", yaml.toString()).integration(preset);
        this.h = new RelayHarness(yaml.toString(), "{\"chartmogul_api_key\":\"" + API_KEY + "\"}");
        h.chartmogul.acceptKey(API_KEY);
        for (Rule rule : integration.rules()) {
            for (Rule.AttributeSpec a : rule.attributes()) {
                h.chartmogul.defined(a.key(), a.type().name());
            }
        }
    }

    FakeChartMogul chartmogul() {
        return h.chartmogul;
    }

    /** POSTs a body with headers (and a JSON content type unless one is given). */
    RelayHarness.Reply post(String body, Map<String, String> headers) {
        Events.Request r = Events.post("/webhooks/" + preset, body);
        boolean typed = false;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            r.header(e.getKey(), e.getValue());
            typed |= e.getKey().equalsIgnoreCase("content-type");
        }
        if (!typed) {
            r.header("Content-Type", "application/json");
        }
        return h.invoke(r.httpApi());
    }

    RelayHarness.Reply post(String body) {
        return post(body, Map.of());
    }

    /**
     * A hookdeck-style capture ({headers, body}) of the recorded corpus: its body re-serialised compactly, its
     * headers minus signatures. The calling test is skipped when the corpus is absent.
     */
    RelayHarness.Reply postCapture(String relativePath) {
        Capture c = capture(relativePath);
        return post(c.body, c.headers);
    }

    /** A file of the recorded corpus whose bytes are the body as the provider sent it. */
    RelayHarness.Reply postFile(String relativePath) {
        return post(file(relativePath));
    }

    /** One of the project's own fixtures ({@code fixtures/<provider>/<event>}) as the body, byte for byte. */
    RelayHarness.Reply postOwn(String relativePath, Map<String, String> headers) {
        try {
            return post(Files.readString(Fixtures.own(relativePath), StandardCharsets.UTF_8), headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The attributes of the last PUT ChartMogul received, key to value as JSON text; empty when none was sent. */
    Map<String, String> lastPut() {
        List<FakeChartMogul.Recorded> puts = h.chartmogul.requests("PUT");
        Map<String, String> out = new LinkedHashMap<>();
        if (!puts.isEmpty()) {
            try {
                EXACT.readTree(puts.get(puts.size() - 1).body()).path("custom").fields()
                        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("value").toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static String file(String relativePath) {
        try {
            return Files.readString(Fixtures.recorded(relativePath), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Capture capture(String relativePath) {
        JsonNode root = Fixtures.recordedJson(relativePath);
        Map<String, String> headers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.path("headers").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!DROPPED_HEADERS.contains(e.getKey())) {
                headers.put(e.getKey(), e.getValue().asText());
            }
        }
        try {
            return new Capture(JSON.writeValueAsString(root.get("body")), headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every request ChartMogul received, in order, one line each: method, path, query as sent, and the body
     * (as sent, byte for byte) when there is one.
     */
    List<String> exchanges() {
        List<String> out = new ArrayList<>();
        for (FakeChartMogul.Recorded r : h.chartmogul.requests()) {
            StringBuilder line = new StringBuilder(r.method()).append(' ').append(r.path());
            String sep = "?";
            for (Map.Entry<String, String> q : r.query().entrySet()) {
                line.append(sep).append(q.getKey()).append('=').append(q.getValue());
                sep = "&";
            }
            if (r.body() != null) {
                line.append(' ').append(r.body());
            }
            out.add(line.toString());
        }
        return out;
    }

    /** The log line of the last event handled: it names the event id and type the preset's `event:` found. */
    JsonNode lastLog() {
        List<JsonNode> lines = h.logLines();
        if (lines.isEmpty()) {
            throw new AssertionError("nothing was logged");
        }
        return lines.get(lines.size() - 1);
    }

    @Override
    public void close() {
        h.close();
    }

    record Capture(String body, Map<String, String> headers) {
    }
}
