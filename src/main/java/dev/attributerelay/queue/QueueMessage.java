package dev.attributerelay.queue;

import java.time.Instant;

/**
 * One SQS message as the worker sees it.
 *
 * @param id            SQS's message id, the item identifier of a partial batch failure
 * @param receiptHandle what changing its visibility needs
 * @param receiveCount  how often it has been received, this time included
 * @param sentAt        when the API function queued it
 */
public record QueueMessage(String id, String receiptHandle, String body, int receiveCount, Instant sentAt) {
}
