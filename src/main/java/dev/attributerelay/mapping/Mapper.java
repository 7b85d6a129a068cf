package dev.attributerelay.mapping;

import dev.attributerelay.inbound.Headers;
import dev.attributerelay.verify.VerifySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an integration's rules to a parsed payload: which rules match, for whom, with which typed
 * values. Every value is coerced and checked here, before anything is sent anywhere.
 */
public final class Mapper {
    private static final int MAX_ITEMS = 1_000;

    private Mapper() {
    }

    /**
     * @param payload         the parsed body (maps, lists, strings, numbers, booleans)
     * @param headers         the request's headers, visible to expressions as {@code $headers}; may be empty
     * @param fallbackEventId used when the payload has no event id (the delivery's own id)
     * @param receivedAt      used when the payload has no event time
     */
    public static MappingResult map(Integration integration, Object payload, Headers headers, String fallbackEventId,
                                    Instant receivedAt) {
        Expression.Bindings bindings = new Expression.Bindings(payload, headerMap(headers));
        List<AttributeUpdate> updates = new ArrayList<>();
        List<Hold> holds = new ArrayList<>();
        Integration.EventFields fields = integration.event();

        String eventId = textOrNull(fields.id(), payload, bindings);
        if (eventId == null) {
            eventId = fallbackEventId;
        }
        String eventType = textOrNull(fields.type(), payload, bindings);
        Instant eventTime = receivedAt;
        if (fields.time() != null) {
            try {
                Instant t = AttributeType.timestamp(fields.time().evaluate(payload, bindings));
                if (t != null) {
                    eventTime = t;
                }
            } catch (RuntimeException e) {
                // an unreadable event time is not the sender's fault: order by arrival instead
                eventTime = receivedAt;
            }
        }
        // newest wins by event time: a time from the future (a replayed body, a wrong clock) would make every later
        // change of the customer look older, so no event is newer than its arrival plus the timestamp tolerance
        Instant latest = receivedAt.plus(integration.verify() == null
                ? VerifySpec.DEFAULT_TOLERANCE : integration.verify().tolerance());
        if (eventTime.isAfter(latest)) {
            eventTime = latest;
        }

        boolean matched = false;
        for (Rule rule : integration.rules()) {
            boolean applies;
            try {
                applies = rule.when().test(payload, bindings);
            } catch (Expression.EvaluationException e) {
                holds.add(unmappable(integration, "rule " + rule.name() + ", field when: " + e.getMessage(), eventId,
                        eventType, eventTime, 0));
                continue;
            }
            if (!applies) {
                continue;
            }
            matched = true;
            List<Object> items;
            if (rule.each() == null) {
                items = List.of(payload);
            } else {
                Object each;
                try {
                    each = rule.each().evaluate(payload, bindings);
                } catch (Expression.EvaluationException e) {
                    holds.add(unmappable(integration, "rule " + rule.name() + ", field each: " + e.getMessage(), eventId,
                            eventType, eventTime, 0));
                    continue;
                }
                items = asList(each);
                if (items.size() > MAX_ITEMS) {
                    holds.add(unmappable(integration, "rule " + rule.name() + ", field each: gives " + items.size()
                            + " items, more than the " + MAX_ITEMS + " one event may carry", eventId, eventType,
                            eventTime, 0));
                    continue;
                }
            }
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                String where = "rule " + rule.name() + (rule.each() == null ? "" : ", item " + i);
                item(integration, rule, item, bindings, eventId, eventType, eventTime, i, where, updates, holds);
            }
        }
        return new MappingResult(eventId, eventType, updates, holds, matched);
    }

    /**
     * One item: the attributes that coerce become an update; those that do not are held, with the customer, so
     * the rest of the event still applies. Without a usable customer reference, the whole item is held.
     */
    private static void item(Integration integration, Rule rule, Object item, Expression.Bindings bindings,
                             String eventId, String eventType, Instant eventTime, int index, String where,
                             List<AttributeUpdate> updates, List<Hold> holds) {
        Map<String, TypedValue> attributes = new LinkedHashMap<>();
        Map<String, Hold.Unconverted> unconverted = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        HoldReason reason = HoldReason.UNMAPPABLE;
        for (Rule.AttributeSpec spec : rule.attributes()) {
            Object raw;
            try {
                raw = spec.value().evaluate(item, bindings);
            } catch (Expression.EvaluationException e) {
                problems.add(where + ", field attributes." + spec.key() + ".value: " + e.getMessage());
                unconverted.put(spec.key(), new Hold.Unconverted(spec.type(), null));
                continue;
            }
            try {
                Object value = spec.type().coerce(raw);
                if (value != null) {
                    attributes.put(spec.key(), new TypedValue(spec.type(), value));
                }
            } catch (AttributeType.CoercionException e) {
                problems.add(where + ": attribute " + spec.key() + " (" + spec.type() + ") " + e.getMessage());
                unconverted.put(spec.key(), new Hold.Unconverted(spec.type(), raw));
                reason = HoldReason.UNCOERCIBLE;
            }
        }
        if (attributes.isEmpty() && unconverted.isEmpty()) {
            return; // nothing present to set: not an error, nothing to send
        }
        CustomerRef ref;
        try {
            ref = customer(rule.customer(), item, bindings, where);
        } catch (ItemProblem p) {
            problems.add(0, p.getMessage());
            holds.add(new Hold(HoldReason.UNMAPPABLE, String.join("; ", problems), integration.name(), null,
                    attributes, unconverted, integration.source(), eventId, eventType, eventTime, index));
            return;
        }
        if (!attributes.isEmpty()) {
            updates.add(new AttributeUpdate(integration.name(), ref, attributes, integration.source(), eventId,
                    eventType, eventTime, index));
        }
        if (!unconverted.isEmpty()) {
            holds.add(new Hold(reason, String.join("; ", problems), integration.name(), ref, Map.of(), unconverted,
                    integration.source(), eventId, eventType, eventTime, index));
        }
    }

    private static Hold unmappable(Integration integration, String message, String eventId, String eventType,
                                   Instant eventTime, int item) {
        return new Hold(HoldReason.UNMAPPABLE, message, integration.name(), null, Map.of(), Map.of(),
                integration.source(), eventId, eventType, eventTime, item);
    }

    private static CustomerRef customer(Rule.CustomerSpec spec, Object item, Expression.Bindings bindings, String where) {
        String field = "customer." + spec.kind().yamlName();
        Object raw;
        try {
            raw = spec.value().evaluate(item, bindings);
        } catch (Expression.EvaluationException e) {
            throw new ItemProblem(where + ", field " + field + ": " + e.getMessage());
        }
        String value;
        try {
            value = (String) AttributeType.String.coerce(raw);
        } catch (AttributeType.CoercionException e) {
            throw new ItemProblem(where + ", field " + field + ": the customer reference " + e.getMessage());
        }
        if (value == null || value.isBlank()) {
            throw new ItemProblem(where + ": the payload has no customer " + spec.kind().yamlName()
                    + " at `" + spec.value().source() + "`");
        }
        switch (spec.kind()) {
            case UUID:
                return new CustomerRef.Uuid(value);
            case EXTERNAL_ID:
                return new CustomerRef.ExternalId(value, spec.dataSourceUuid());
            default:
                if (value.indexOf('@') < 1) {
                    throw new ItemProblem(where + ": the customer email at `" + spec.value().source()
                            + "` is not an email address");
                }
                return new CustomerRef.Email(value.trim());
        }
    }

    private static String textOrNull(Expression e, Object payload, Expression.Bindings bindings) {
        if (e == null) {
            return null;
        }
        try {
            Object v = AttributeType.String.coerce(e.evaluate(payload, bindings));
            return v == null || ((String) v).isEmpty() ? null : (String) v;
        } catch (RuntimeException ex) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object each) {
        if (each == null) {
            return List.of();
        }
        if (each instanceof List<?> l) {
            return (List<Object>) l;
        }
        return List.of(each);
    }

    static Map<String, String> headerMap(Headers headers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : headers.names()) {
            // credentials are never handed to user expressions
            if (!name.equals("authorization") && !name.equals("cookie")) {
                out.put(name, headers.first(name));
            }
        }
        return out;
    }

    private static final class ItemProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ItemProblem(String message) {
            super(message, null, false, false);
        }
    }
}
