package dev.attributerelay.queue;

import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.AttributeUpdate;
import java.util.List;

/** Where the API function puts validated updates in queued mode; the worker takes them from there. */
public interface UpdateQueue {

    /**
     * Queues every update, or throws: a partial send is retried here, and what still fails makes the whole
     * delivery answer 503 (the sender redelivers; deduplication ids keep what already went from going twice).
     *
     * @param deadline bounds every call
     * @throws QueueUnavailableException when the queue does not take them now
     * @throws Refused when the queue refuses some of them as they are (the others are queued)
     */
    void send(List<AttributeUpdate> updates, Deadline deadline);

    final class QueueUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public QueueUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    /** The queue refused these updates' contents (SQS's InvalidMessageContents): no retry will change that. */
    final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<AttributeUpdate> updates;

        public Refused(List<AttributeUpdate> updates, String message) {
            super(message, null, false, false);
            this.updates = List.copyOf(updates);
        }

        public List<AttributeUpdate> updates() {
            return updates;
        }
    }
}
