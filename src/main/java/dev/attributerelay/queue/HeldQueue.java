package dev.attributerelay.queue;

import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.Hold;
import java.util.List;

/**
 * Where held updates wait, with their reasons, until a person fixes the cause and {@code replay} sends them again:
 * an SQS standard queue ({@code RELAY_HELD_QUEUE_URL}) when deployed, the log alone in local runs.
 */
public interface HeldQueue {

    /**
     * Keeps every hold, or throws: a sender's 200 promises the update is kept somewhere.
     *
     * @throws Unavailable when they cannot be written within the deadline
     */
    void hold(List<Hold> holds, Deadline deadline);

    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
