package dev.attributerelay.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.TypedValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link AttributeUpdate} as a queue message: JSON with the already coerced values, so the worker sends
 * exactly what the API function validated. Also the FIFO ids: one customer's updates share a message group
 * (kept in order); the deduplication id is the update's identity, so a redelivered webhook is not queued twice.
 */
public final class UpdateCodec {
    private UpdateCodec() {
    }

    public static String encode(AttributeUpdate u) {
        ObjectNode n = Json.object();
        n.put("v", 1);
        n.put("integration", u.integration());
        writeCustomer(n.putObject("customer"), u.customer());
        writeAttributes(n.putObject("attributes"), u.attributes());
        n.put("source", u.source());
        n.put("event_id", u.eventId());
        n.put("event_type", u.eventType());
        n.put("event_time", u.eventTime().toString());
        n.put("item", u.item());
        return Json.write(n);
    }

    /** @throws IllegalArgumentException when the message is not an update this version wrote */
    public static AttributeUpdate decode(String body) {
        JsonNode n;
        try {
            n = Json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the message is not JSON");
        }
        if (n == null || n.path("v").asInt() != 1) {
            throw new IllegalArgumentException("the message is not a version 1 attribute update");
        }
        CustomerRef ref = readCustomer(n.path("customer"));
        if (ref == null) {
            throw new IllegalArgumentException("the message names no customer");
        }
        Map<String, TypedValue> attributes = readAttributes(n.path("attributes"));
        return new AttributeUpdate(n.path("integration").asText(), ref, attributes, n.path("source").asText(),
                n.path("event_id").asText(null), n.path("event_type").asText(null),
                Instant.parse(n.path("event_time").asText()), n.path("item").asInt());
    }

    static void writeCustomer(ObjectNode c, CustomerRef ref) {
        if (ref instanceof CustomerRef.Uuid id) {
            c.put("uuid", id.uuid());
        } else if (ref instanceof CustomerRef.ExternalId e) {
            c.put("external_id", e.externalId());
            if (e.dataSourceUuid() != null) {
                c.put("data_source_uuid", e.dataSourceUuid());
            }
        } else {
            c.put("email", ((CustomerRef.Email) ref).email());
        }
    }

    /** Null when the node names no customer. */
    static CustomerRef readCustomer(JsonNode c) {
        if (c.hasNonNull("uuid")) {
            return new CustomerRef.Uuid(c.get("uuid").asText());
        } else if (c.hasNonNull("external_id")) {
            return new CustomerRef.ExternalId(c.get("external_id").asText(), c.path("data_source_uuid").asText(null));
        } else if (c.hasNonNull("email")) {
            return new CustomerRef.Email(c.get("email").asText());
        }
        return null;
    }

    static void writeAttributes(ObjectNode attrs, Map<String, TypedValue> attributes) {
        attributes.forEach((k, v) -> {
            ObjectNode a = attrs.putObject(k);
            a.put("type", v.type().name());
            a.set("value", Json.toTree(v.value()));
        });
    }

    static Map<String, TypedValue> readAttributes(JsonNode node) {
        Map<String, TypedValue> attributes = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            AttributeType type = AttributeType.named(e.getValue().path("type").asText());
            if (type == null) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " has no known type");
            }
            JsonNode v = e.getValue().get("value");
            if (v == null || v.isNull()) {
                throw new IllegalArgumentException("attribute " + e.getKey() + " has no value");
            }
            attributes.put(e.getKey(), new TypedValue(type, value(type, v)));
        }
        return attributes;
    }

    /** Keeps one customer's updates in order; hashed so no email reaches SQS's metadata. */
    public static String groupId(AttributeUpdate u) {
        return sha256(u.customer().key());
    }

    /** Same integration, event, item, customer and keys: the same update, sent once within SQS's 5-minute window. */
    public static String deduplicationId(AttributeUpdate u) {
        return sha256(u.integration() + "\u0000" + u.eventId() + "\u0000" + u.item() + "\u0000" + u.customer().key()
                + "\u0000" + String.join(",", u.attributes().keySet()));
    }

    private static Object value(AttributeType type, JsonNode v) {
        switch (type) {
            case Integer:
                return v.asLong();
            case Decimal:
                return v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
            case Boolean:
                return v.asBoolean();
            default:
                return v.asText();
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
