package dev.attributerelay.queue;

import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.TypedValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a batch's updates into one per customer and integration: per attribute, the newest event time wins
 * (on a tie, the later message, as FIFO order has it). One PUT then carries what several events set.
 */
public final class Coalescer {
    private Coalescer() {
    }

    /** Groups in first-seen order; each keeps the messages it came from. */
    public static List<Group> coalesce(List<Decoded> batch) {
        Map<String, Builder> groups = new LinkedHashMap<>();
        for (Decoded d : batch) {
            AttributeUpdate u = d.update();
            groups.computeIfAbsent(u.integration() + "\u0000" + u.customer().key(), k -> new Builder(u)).add(d);
        }
        List<Group> out = new ArrayList<>();
        groups.values().forEach(b -> out.add(b.build()));
        return out;
    }

    /** A message and the update it carries. */
    public record Decoded(QueueMessage message, AttributeUpdate update) {
    }

    /**
     * @param update   the coalesced update (event id and type of its newest event)
     * @param times    each attribute's event time
     * @param messages the messages folded into it: they succeed or fail together
     * @param superseded attribute values dropped because a newer event in the batch set the same attribute
     */
    public record Group(AttributeUpdate update, Map<String, Instant> times, List<QueueMessage> messages, int superseded) {
    }

    private static final class Builder {
        private final AttributeUpdate first;
        private final Map<String, TypedValue> values = new LinkedHashMap<>();
        private final Map<String, Instant> times = new LinkedHashMap<>();
        private final List<QueueMessage> messages = new ArrayList<>();
        private AttributeUpdate newest;
        private int superseded;

        Builder(AttributeUpdate first) {
            this.first = first;
            this.newest = first;
        }

        void add(Decoded d) {
            AttributeUpdate u = d.update();
            messages.add(d.message());
            if (!u.eventTime().isBefore(newest.eventTime())) {
                newest = u;
            }
            u.attributes().forEach((key, value) -> {
                Instant have = times.get(key);
                if (have == null) {
                    values.put(key, value);
                    times.put(key, u.eventTime());
                } else {
                    superseded++;
                    if (!u.eventTime().isBefore(have)) {
                        values.put(key, value);
                        times.put(key, u.eventTime());
                    }
                }
            });
        }

        Group build() {
            AttributeUpdate merged = new AttributeUpdate(first.integration(), first.customer(), values, newest.source(),
                    newest.eventId(), newest.eventType(), newest.eventTime(), newest.item());
            return new Group(merged, times, List.copyOf(messages), superseded);
        }
    }
}
