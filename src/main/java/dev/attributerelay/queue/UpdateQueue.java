package dev.attributerelay.queue;

import dev.attributerelay.mapping.AttributeUpdate;
import java.util.List;

/** Where the API function puts validated updates in queued mode; the worker takes them from there. */
public interface UpdateQueue {

    /**
     * Queues every update, or throws: a partial send is retried here, and what still fails makes the whole
     * delivery answer 503 (the sender redelivers; deduplication ids keep what already went from going twice).
     *
     * @throws QueueUnavailableException when the queue does not take them
     */
    void send(List<AttributeUpdate> updates);

    final class QueueUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public QueueUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
