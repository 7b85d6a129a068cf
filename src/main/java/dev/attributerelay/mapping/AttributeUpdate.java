package dev.attributerelay.mapping;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attributes one event sets on one customer.
 *
 * @param integration the relay.yaml integration it came through
 * @param customer    whom it is for
 * @param attributes  key to typed value, in rule order
 * @param source      the label ChartMogul shows as the attribute's source
 * @param eventId     the provider's event id (or the delivery id when the payload has none)
 * @param eventType   the provider's event type, for logs
 * @param eventTime   when the provider says it happened; orders updates to the same attribute
 * @param item        position within an {@code each:} batch, 0 otherwise
 */
public record AttributeUpdate(
        String integration,
        CustomerRef customer,
        Map<String, TypedValue> attributes,
        String source,
        String eventId,
        String eventType,
        Instant eventTime,
        int item) {

    public AttributeUpdate {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
