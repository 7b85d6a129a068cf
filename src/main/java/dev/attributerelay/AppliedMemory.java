package dev.attributerelay;

import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.TypedValue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this container has applied: per customer and attribute, the newest event time written. An update
 * whose event is older than that is stale and must not overwrite the newer value (senders retry out of
 * order). Equal times are not stale, so a redelivery re-applies harmlessly. Bounded, least recently used
 * first out.
 */
public final class AppliedMemory {
    private static final int MAX_ENTRIES = 50_000;

    private final Map<String, Instant> newest = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /**
     * The attributes not older than what was applied; empty when all are stale.
     *
     * @param times each attribute's event time (a coalesced update mixes events)
     */
    public synchronized Map<String, TypedValue> fresh(String customerUuid, Map<String, TypedValue> attributes,
                                                      Map<String, Instant> times) {
        Map<String, TypedValue> out = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            Instant applied = newest.get(customerUuid + "\u0000" + key);
            if (applied == null || !times.get(key).isBefore(applied)) {
                out.put(key, value);
            }
        });
        return out;
    }

    public synchronized void remember(String customerUuid, Iterable<String> keys, Map<String, Instant> times) {
        for (String key : keys) {
            newest.merge(customerUuid + "\u0000" + key, times.get(key), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** Every attribute of an update at the update's own event time. */
    public static Map<String, Instant> timesOf(AttributeUpdate update) {
        Map<String, Instant> times = new LinkedHashMap<>();
        update.attributes().keySet().forEach(k -> times.put(k, update.eventTime()));
        return times;
    }
}
