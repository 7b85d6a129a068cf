package dev.attributerelay.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.attributerelay.Json;
import dev.attributerelay.inbound.Payloads;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Mapper;
import dev.attributerelay.mapping.MappingResult;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.mapping.TypedValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzed payloads through the bundled relay.yaml, which configures every preset: {@link Mapper#map} must return
 * updates whose values are what goes on the wire for their type, or problems in words; nothing else, and in
 * bounded time. The first line of an input names the integration (see {@link FuzzRequest}); the body is parsed
 * as JSON when it starts like JSON, as a form otherwise.
 */
class MapperFuzzTest {
    static final RelayConfig CONFIG = ConfigLoader.loadBundled();
    static final List<String> NAMES = new ArrayList<>(CONFIG.integrations().keySet());
    static final Instant RECEIVED = Instant.ofEpochSecond(1_700_000_000);
    static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    @Timeout(10)
    @DictionaryEntries({"\"type\":", "\"data\":", "\"object\":", "\"id\":", "\"customer\":", "\"email\":",
        "\"metadata\":", "\"items\":", "\"quantity\":", "customer.updated", "customer.subscription.updated",
        "subscription.updated", "1e300000000", "1e-300000000", "-9000000000000000000", "true", "null", "[]", "{}"})
    @FuzzTest(maxDuration = "30s")
    void presetRules(byte[] input) {
        FuzzRequest r = FuzzRequest.parse(input);
        Integration integration = r.pick(NAMES, CONFIG.integrations());
        String start = new String(r.body, 0, Math.min(r.body.length, 16), java.nio.charset.StandardCharsets.UTF_8)
                .stripLeading();
        String type = start.startsWith("{") || start.startsWith("[") ? "application/json"
                : "application/x-www-form-urlencoded";
        Object payload;
        try {
            payload = Payloads.parse(r.body, type);
        } catch (Payloads.BadPayload e) {
            return;
        }
        MappingResult m = Mapper.map(integration, payload, r.headers, "dlv_fuzz", RECEIVED);
        for (String problem : m.problems()) {
            if (problem == null || problem.isBlank()) {
                throw new AssertionError("a mapping problem without words");
            }
        }
        for (AttributeUpdate u : m.updates()) {
            if (u.attributes().isEmpty()) {
                throw new AssertionError("an update with no attributes");
            }
            if (u.customer() == null || u.customer().key() == null || u.customer().key().isBlank()) {
                throw new AssertionError("an update for no customer");
            }
            for (Map.Entry<String, TypedValue> a : u.attributes().entrySet()) {
                checkValue(a.getKey(), a.getValue());
            }
        }
    }

    /** The value has its type's Java form, and writes as the JSON ChartMogul gets, in bounded size. */
    static void checkValue(String key, TypedValue v) {
        Object value = v.value();
        boolean ok;
        switch (v.type()) {
            case String:
                ok = value instanceof String s && s.codePointCount(0, s.length()) <= AttributeType.MAX_STRING;
                break;
            case Integer:
                ok = value instanceof Long;
                break;
            case Decimal:
                ok = value instanceof BigDecimal;
                break;
            case Boolean:
                ok = value instanceof Boolean;
                break;
            default:
                ok = value instanceof String s && ISO.matcher(s).matches();
        }
        if (!ok) {
            throw new AssertionError("attribute " + key + " (" + v.type() + ") holds "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        String wire = Json.write(Map.of("value", value));
        if (wire.length() > 4_096) {
            throw new AssertionError("attribute " + key + " (" + v.type() + ") writes " + wire.length() + " characters");
        }
    }
}
