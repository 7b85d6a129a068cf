package dev.attributerelay.mapping;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An update, or the part of one, that is held with its reason until a person fixes the cause and replays it.
 *
 * @param reason      why it is held
 * @param message     the reason in words a person can act on
 * @param integration the relay.yaml integration it came through
 * @param customer    whom it is for; null when the event named no usable customer
 * @param attributes  typed values held as they are (the customer or ChartMogul was the problem)
 * @param unconverted values that did not coerce, as the expression gave them, with the type they were declared as
 * @param source      the label ChartMogul shows as the attributes' source
 * @param eventId     the provider's event id
 * @param eventType   the provider's event type, or null
 * @param eventTime   when the provider says it happened (newest-wins still guards a replay)
 * @param item        position within an {@code each:} batch
 */
public record Hold(HoldReason reason, String message, String integration, CustomerRef customer,
                   Map<String, TypedValue> attributes, Map<String, Unconverted> unconverted, String source,
                   String eventId, String eventType, Instant eventTime, int item) {

    public Hold {
        if (reason == null || message == null) {
            throw new IllegalArgumentException("a hold needs a reason and a message");
        }
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        unconverted = Collections.unmodifiableMap(new LinkedHashMap<>(unconverted));
    }

    /** The whole update, held. */
    public static Hold of(AttributeUpdate u, HoldReason reason, String message) {
        return new Hold(reason, message, u.integration(), u.customer(), u.attributes(), Map.of(), u.source(),
                u.eventId(), u.eventType(), u.eventTime(), u.item());
    }

    /** The same hold for another reason (a replay that still cannot apply it). */
    public Hold because(HoldReason newReason, String newMessage) {
        return new Hold(newReason, newMessage, integration, customer, attributes, unconverted, source, eventId,
                eventType, eventTime, item);
    }

    /** Every held attribute key, typed and unconverted. */
    public java.util.List<String> keys() {
        java.util.List<String> keys = new java.util.ArrayList<>(attributes.keySet());
        keys.addAll(unconverted.keySet());
        return keys;
    }

    /** A value as the rule's expression gave it, and the type relay.yaml declared for it then. */
    public record Unconverted(AttributeType declared, Object value) {
    }
}
