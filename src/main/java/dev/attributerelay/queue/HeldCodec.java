package dev.attributerelay.queue;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.Hold;
import dev.attributerelay.mapping.HoldReason;
import dev.attributerelay.mapping.TypedValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Hold} as a held-queue message. Written as ASCII only (every other character as a {@code \\u} escape): a
 * held value may be text that is not valid Unicode, which SQS would refuse as it stands; escaped, it arrives whole.
 */
public final class HeldCodec {
    /** A value whose JSON is longer than this is not kept: SQS takes 256 KiB a message, and replay re-reads it. */
    static final int MAX_KEPT_VALUE = 4096;

    private HeldCodec() {
    }

    public static String encode(Hold h, Instant heldAt) {
        ObjectNode n = Json.object();
        n.put("v", 1);
        n.put("kind", "held");
        n.put("reason", h.reason().code());
        n.put("message", h.message());
        n.put("held_at", heldAt.toString());
        n.put("integration", h.integration());
        if (h.customer() != null) {
            UpdateCodec.writeCustomer(n.putObject("customer"), h.customer());
        }
        UpdateCodec.writeAttributes(n.putObject("attributes"), h.attributes());
        ObjectNode unconverted = n.putObject("unconverted");
        h.unconverted().forEach((k, u) -> {
            ObjectNode a = unconverted.putObject(k);
            a.put("type", u.declared().name());
            JsonNode value = Json.toTree(u.value());
            if (Json.write(value).length() > MAX_KEPT_VALUE) {
                a.put("too_large", true);
            } else {
                a.set("value", value);
            }
        });
        n.put("source", h.source());
        n.put("event_id", h.eventId());
        n.put("event_type", h.eventType());
        n.put("event_time", h.eventTime().toString());
        n.put("item", h.item());
        return Json.writeAscii(n);
    }

    /** @throws IllegalArgumentException when the message is not a hold this version wrote */
    public static Held decode(String body) {
        JsonNode n;
        try {
            n = Json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the message is not JSON");
        }
        if (n == null || n.path("v").asInt() != 1 || !"held".equals(n.path("kind").asText())) {
            throw new IllegalArgumentException("the message is not a version 1 held update");
        }
        HoldReason reason = HoldReason.ofCode(n.path("reason").asText());
        if (reason == null) {
            throw new IllegalArgumentException("the held update has no reason this version knows");
        }
        try {
            CustomerRef customer = n.has("customer") ? UpdateCodec.readCustomer(n.get("customer")) : null;
            Map<String, TypedValue> attributes = UpdateCodec.readAttributes(n.path("attributes"));
            Map<String, Hold.Unconverted> unconverted = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.path("unconverted").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                AttributeType type = AttributeType.named(e.getValue().path("type").asText());
                if (type == null) {
                    throw new IllegalArgumentException("attribute " + e.getKey() + " has no known type");
                }
                JsonNode v = e.getValue().get("value");
                unconverted.put(e.getKey(), new Hold.Unconverted(type,
                        v == null ? null : Json.toValue(v)));
            }
            Hold hold = new Hold(reason, n.path("message").asText(), n.path("integration").asText(), customer,
                    attributes, unconverted, n.path("source").asText(), n.path("event_id").asText(null),
                    n.path("event_type").asText(null), Instant.parse(n.path("event_time").asText()),
                    n.path("item").asInt());
            return new Held(hold, Instant.parse(n.path("held_at").asText()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the held update cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** A hold and when it was first held. */
    public record Held(Hold hold, Instant heldAt) {
    }
}
