package dev.attributerelay.queue;

import dev.attributerelay.Delivery;
import dev.attributerelay.DeliveryResult;
import dev.attributerelay.EventLog;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.inbound.Outcome;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.Hold;
import dev.attributerelay.mapping.HoldReason;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.RelayConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes a batch from the update queue: decodes, coalesces per customer, delivers, and says which messages must
 * come back (partial batch response). What no retry can fix is moved to the held queue on its first receive and
 * reported processed, so the customer's later updates are not blocked behind it. What may pass comes back after
 * its reason's backoff; what was not touched before the deadline comes back at once. Nothing is dropped silently:
 * every message ends applied, unchanged or stale (logged), held, or returned.
 */
public final class QueueWorker {
    /** The longest a failed message waits before its next try. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    /**
     * The longest wait for a customer ChartMogul does not have yet (it appears once ChartMogul imports the billing
     * system, which can take hours): with the queue's redrive limit of 25 receives, about four days of tries, as
     * long as a provider's own retries last.
     */
    static final Duration CUSTOMER_MAX_DELAY = Duration.ofHours(6);
    /** Time kept for answering the poller after the last delivery. */
    private static final Duration RESERVE = Duration.ofMillis(500);
    /** When the held queue cannot be written, the message comes back this soon to try again. */
    private static final Duration HELD_QUEUE_RETRY = Duration.ofSeconds(30);

    private final RelayConfig config;
    private final Delivery delivery;
    private final ChartMogulClient client;
    private final Visibility visibility;
    private final HeldQueue held;
    private final EventLog log;
    private final Clock clock;

    public QueueWorker(RelayConfig config, Delivery delivery, ChartMogulClient client, Visibility visibility,
                       EventLog log, Clock clock) {
        this(config, delivery, client, visibility, new HeldLog(log), log, clock);
    }

    public QueueWorker(RelayConfig config, Delivery delivery, ChartMogulClient client, Visibility visibility,
                       HeldQueue held, EventLog log, Clock clock) {
        this.config = config;
        this.delivery = delivery;
        this.client = client;
        this.visibility = visibility;
        this.held = held;
        this.log = log;
        this.clock = clock;
    }

    /** @return the ids of the messages that must come back */
    public List<String> process(List<QueueMessage> batch, Deadline deadline, String lambdaRequestId) {
        List<String> failed = new ArrayList<>();
        Map<String, Duration> returns = new LinkedHashMap<>();
        List<Coalescer.Decoded> decoded = new ArrayList<>();
        for (QueueMessage m : batch) {
            try {
                decoded.add(new Coalescer.Decoded(m, UpdateCodec.decode(m.body())));
            } catch (RuntimeException e) {
                // not ours, or from an incompatible version: keep it for the dead-letter queue, where a person looks
                // the parser's message may quote the body, which holds customer data: name the failure's kind only
                log.note("ERROR", "queue message " + m.id() + " is not an update this version reads ("
                        + e.getClass().getSimpleName() + ")");
                failed.add(m.id());
                returns.put(m.receiptHandle(), MAX_DELAY);
            }
        }
        // one customer is one FIFO message group: once any of its updates returns to the queue, its later ones must
        // too, or two integrations setting the same attribute could be applied out of order
        Set<String> returnedCustomers = new HashSet<>();
        List<Hold> holds = new ArrayList<>();
        List<QueueMessage> heldMessages = new ArrayList<>();
        for (Coalescer.Group g : Coalescer.coalesce(decoded)) {
            String customer = g.update().customer().key();
            if (deadline.remaining().compareTo(RESERVE) < 0 || returnedCustomers.contains(customer)) {
                for (QueueMessage m : g.messages()) {
                    failed.add(m.id()); // back to the queue untouched: at once, not after the visibility timeout
                    returns.put(m.receiptHandle(), Duration.ZERO);
                }
                returnedCustomers.add(customer);
                continue;
            }
            Integration integration = config.integration(g.update().integration());
            List<Delivered> results = new ArrayList<>();
            if (integration == null) {
                results.add(new Delivered(g.update(), g.messages(), new DeliveryResult.RetryLater(300, "integration '"
                        + g.update().integration() + "' is no longer in relay.yaml; the update waits for it (or for"
                        + " the dead-letter queue)"), g.superseded()));
            } else {
                deliverGroup(integration, g, deadline, lambdaRequestId, results);
            }
            for (Delivered d : results) {
                if (d.result instanceof DeliveryResult.RetryLater r) {
                    returnedCustomers.add(customer);
                    Duration delay = delay(r, d.messages);
                    for (QueueMessage m : d.messages) {
                        failed.add(m.id());
                        returns.put(m.receiptHandle(), delay);
                    }
                } else if (d.result instanceof DeliveryResult.Held h) {
                    holds.add(h.hold());
                    heldMessages.addAll(d.messages);
                }
            }
        }
        if (!holds.isEmpty()) {
            try {
                held.hold(holds, deadline);
            } catch (HeldQueue.Unavailable e) {
                log.note("WARN", "the held queue did not take " + holds.size() + " held updates (" + e.getMessage()
                        + "); their messages come back to try again");
                for (QueueMessage m : heldMessages) {
                    failed.add(m.id());
                    returns.put(m.receiptHandle(), HELD_QUEUE_RETRY);
                }
            }
        }
        visibility.delayAll(returns);
        return failed;
    }

    /**
     * Delivers a coalesced group. When ChartMogul refuses it for an attribute (one message's attribute may be the
     * culprit), each message is delivered on its own, so the others' attributes still apply and only the culprit
     * is held.
     */
    private void deliverGroup(Integration integration, Coalescer.Group g, Deadline deadline, String lambdaRequestId,
                              List<Delivered> out) {
        long started = System.nanoTime();
        ChartMogulClient.Usage before = client.usage();
        int staleBefore = delivery.staleDrops();
        DeliveryResult r = delivery.deliver(integration, g.update(), g.times(), deadline);
        if (g.messages().size() > 1 && r instanceof DeliveryResult.Held h && attributeLevel(h.hold().reason())) {
            logLine(g.update(), g.messages(), r, before, staleBefore, started, lambdaRequestId, g.superseded());
            for (QueueMessage m : g.messages()) {
                AttributeUpdate single = UpdateCodec.decode(m.body());
                long s = System.nanoTime();
                ChartMogulClient.Usage b = client.usage();
                int st = delivery.staleDrops();
                DeliveryResult one = deadline.remaining().compareTo(RESERVE) < 0
                        ? new DeliveryResult.RetryLater(1, "no time was left to deliver it on its own")
                        : delivery.deliver(integration, single, deadline);
                logLine(single, List.of(m), one, b, st, s, lambdaRequestId, 0);
                out.add(new Delivered(single, List.of(m), one, 0));
            }
            return;
        }
        logLine(g.update(), g.messages(), r, before, staleBefore, started, lambdaRequestId, g.superseded());
        out.add(new Delivered(g.update(), g.messages(), r, g.superseded()));
    }

    private static boolean attributeLevel(HoldReason reason) {
        return reason == HoldReason.UNDEFINED_ATTRIBUTE || reason == HoldReason.REFUSED;
    }

    private void logLine(AttributeUpdate u, List<QueueMessage> messages, DeliveryResult r,
                         ChartMogulClient.Usage before, int staleBefore, long started, String lambdaRequestId,
                         int superseded) {
        Instant oldest = messages.stream().map(QueueMessage::sentAt).min(Instant::compareTo).orElse(clock.instant());
        log.outcome(new EventLog.Entry(u.integration(), u.eventId(), u.eventType(), List.of(u.customer().key()),
                List.copyOf(u.attributes().keySet()), Outcome.of(r), client.usage().minus(before),
                delivery.staleDrops() - staleBefore + superseded, (System.nanoTime() - started) / 1_000_000,
                Math.max(0, Duration.between(oldest, clock.instant()).toMillis()), null, lambdaRequestId, "queue"));
    }

    /**
     * Grows with each failed receive: the reason's own suggestion doubled per earlier receive, at most
     * {@link #MAX_DELAY}, or {@link #CUSTOMER_MAX_DELAY} while the customer is not in ChartMogul yet.
     */
    static Duration delay(DeliveryResult.RetryLater reason, List<QueueMessage> messages) {
        int receives = messages.stream().mapToInt(QueueMessage::receiveCount).max().orElse(1);
        long cap = (reason.awaitingCustomer() ? CUSTOMER_MAX_DELAY : MAX_DELAY).toSeconds();
        long seconds = (long) reason.afterSeconds() << Math.min(Math.max(0, receives - 1), 20);
        return Duration.ofSeconds(Math.min(seconds, cap));
    }

    /** One delivery's messages and what became of them. */
    private record Delivered(AttributeUpdate update, List<QueueMessage> messages, DeliveryResult result,
                             int superseded) {
    }

    /** Changes when returned messages become visible again. */
    public interface Visibility {
        void delay(String receiptHandle, Duration delay);

        /** Every change at once (SQS takes ten per request); by default one by one. */
        default void delayAll(Map<String, Duration> byReceiptHandle) {
            byReceiptHandle.forEach(this::delay);
        }

        Visibility NONE = (handle, delay) -> { };
    }
}
