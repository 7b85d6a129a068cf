package dev.attributerelay;

import dev.attributerelay.mapping.Hold;

/**
 * What delivering one update came to, in no transport's terms: the HTTP answer ({@code inbound.Outcome}), the
 * SQS batch response ({@code queue.QueueWorker}) and EventBridge's failure ({@code lambda.EventBridgeHandler}) are
 * each mapped from it in one place.
 */
public sealed interface DeliveryResult {

    /** ChartMogul holds the update's values now. */
    record Applied(int updates) implements DeliveryResult {
    }

    /** Nothing to send: ChartMogul already holds these values. */
    record Unchanged(String message) implements DeliveryResult {
    }

    /** Nothing to send: a newer event already set these attributes. */
    record Stale(String message) implements DeliveryResult {
    }

    /** Deliberately dropped by the integration's policy ({@code on_unknown_customer: skip}). */
    record Skipped(String message) implements DeliveryResult {
    }

    /** Cannot be applied for a reason retrying won't fix: it goes to the held queue. */
    record Held(Hold hold) implements DeliveryResult {
    }

    /**
     * Could not finish for a reason that may pass.
     *
     * @param afterSeconds     when trying again makes sense
     * @param awaitingCustomer the customer is not in ChartMogul yet: a wait of hours or days, not seconds
     * @param detail           for the operator's log only (which secret, which key); null when the reason says it all
     */
    record RetryLater(int afterSeconds, String reason, boolean awaitingCustomer, String detail) implements DeliveryResult {
        public RetryLater {
            afterSeconds = Math.max(1, afterSeconds);
        }

        public RetryLater(int afterSeconds, String reason, boolean awaitingCustomer) {
            this(afterSeconds, reason, awaitingCustomer, null);
        }

        public RetryLater(int afterSeconds, String reason) {
            this(afterSeconds, reason, false, null);
        }
    }
}
