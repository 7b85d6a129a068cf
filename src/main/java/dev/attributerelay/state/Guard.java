package dev.attributerelay.state;

import dev.attributerelay.mapping.TypedValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of applied state, in one place: newest wins by event time (equal times re-apply), a value equal to the
 * newest applied one is unchanged unless that write is in doubt, and what a settled delivery records.
 */
public final class Guard {
    private Guard() {
    }

    /**
     * What to do with each attribute of an update, given the customer's applied state.
     *
     * @param times         each attribute's event time (a coalesced update mixes events)
     * @param skipUnchanged the integration's {@code skip_unchanged}
     */
    public static Plan plan(StateStore.Leased state, Map<String, TypedValue> attributes, Map<String, Instant> times,
                            boolean skipUnchanged) {
        Map<String, TypedValue> send = new LinkedHashMap<>();
        List<String> unchanged = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        attributes.forEach((key, value) -> {
            AppliedValue applied = state.applied().get(key);
            Instant time = times.get(key);
            if (applied != null && time.isBefore(applied.newest())) {
                stale.add(key);
            } else if (skipUnchanged && applied != null && !applied.inDoubt() && !state.unsettled()
                    && applied.value().equals(Values.canonical(value)) && applied.type().equals(value.type().name())) {
                unchanged.add(key);
            } else {
                send.put(key, value);
            }
        });
        return new Plan(send, unchanged, stale);
    }

    /**
     * The values to record when the delivery settles: sent ones as written (or in doubt), unchanged ones confirmed
     * at their newer time, and, after an unsettled lease, every other value doubted.
     */
    public static Map<String, AppliedValue> record(StateStore.Leased state, Plan plan, Map<String, Instant> times,
                                                   String eventId, String integration, Instant now, boolean inDoubt) {
        Map<String, AppliedValue> out = new LinkedHashMap<>();
        if (state.unsettled()) {
            state.applied().forEach((key, v) -> out.put(key, v.doubted()));
        }
        for (String key : plan.unchanged()) {
            out.put(key, state.applied().get(key).confirmedAt(times.get(key)));
        }
        plan.send().forEach((key, value) -> {
            Instant time = times.get(key); // not older than what was applied, or plan() would have dropped it
            out.put(key, new AppliedValue(Values.canonical(value), value.type().name(), time, eventId, time,
                    integration, now, inDoubt));
        });
        return out;
    }

    /**
     * One update's attributes, sorted by the rules.
     *
     * @param send      to write to ChartMogul
     * @param unchanged equal to the newest applied value: left out
     * @param stale     older than the newest applied event: dropped
     */
    public record Plan(Map<String, TypedValue> send, List<String> unchanged, List<String> stale) {
        public Plan {
            send = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(send));
            unchanged = List.copyOf(unchanged);
            stale = List.copyOf(stale);
        }
    }
}
