package dev.attributerelay.queue;

import dev.attributerelay.Delivery;
import dev.attributerelay.EventLog;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.inbound.Outcome;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.RelayConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a batch from the update queue: decodes, coalesces per customer, delivers, and says which messages
 * failed so only those return to the queue (partial batch response). Failures come back later each time they
 * fail (visibility grows with the receive count); past the queue's redrive limit they land in the dead-letter
 * queue, from which {@code replay} moves them back once the cause is fixed. Nothing is dropped silently:
 * every message ends applied, stale (logged), or returned.
 */
public final class QueueWorker {
    /** The longest a failed message waits before its next try. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    /** Time kept for answering the poller after the last delivery. */
    private static final Duration RESERVE = Duration.ofMillis(500);

    private final RelayConfig config;
    private final Delivery delivery;
    private final ChartMogulClient client;
    private final Visibility visibility;
    private final EventLog log;
    private final Clock clock;

    public QueueWorker(RelayConfig config, Delivery delivery, ChartMogulClient client, Visibility visibility,
                       EventLog log, Clock clock) {
        this.config = config;
        this.delivery = delivery;
        this.client = client;
        this.visibility = visibility;
        this.log = log;
        this.clock = clock;
    }

    /** @return the ids of the messages that must come back */
    public List<String> process(List<QueueMessage> batch, Deadline deadline, String lambdaRequestId) {
        List<String> failed = new ArrayList<>();
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
            }
        }
        // one customer is one FIFO message group: once any of its updates returns to the queue, its later ones must
        // too, or two integrations setting the same attribute could be applied out of order
        java.util.Set<String> returnedCustomers = new java.util.HashSet<>();
        for (Coalescer.Group g : Coalescer.coalesce(decoded)) {
            String customer = g.update().customer().key();
            if (deadline.remaining().compareTo(RESERVE) < 0 || returnedCustomers.contains(customer)) {
                g.messages().forEach(m -> failed.add(m.id())); // back to the queue untouched
                returnedCustomers.add(customer);
                continue;
            }
            long started = System.nanoTime();
            ChartMogulClient.Usage before = client.usage();
            int staleBefore = delivery.staleDrops();
            Integration integration = config.integration(g.update().integration());
            Outcome outcome = integration == null
                    ? new Outcome.Unavailable("integration '" + g.update().integration()
                    + "' is no longer in relay.yaml; the update waits for it (or for the dead-letter queue)", 300)
                    : delivery.deliver(integration, g.update(), g.times(), deadline);
            if (!(outcome instanceof Outcome.Applied) && !(outcome instanceof Outcome.Ignored)) {
                returnedCustomers.add(customer);
                Duration delay = delay(outcome, g.messages());
                for (QueueMessage m : g.messages()) {
                    failed.add(m.id());
                    visibility.delay(m.receiptHandle(), delay);
                }
            }
            Instant oldest = g.messages().stream().map(QueueMessage::sentAt).min(Instant::compareTo).orElse(clock.instant());
            log.outcome(new EventLog.Entry(g.update().integration(), g.update().eventId(), g.update().eventType(),
                    List.of(g.update().customer().key()), List.copyOf(g.update().attributes().keySet()), outcome,
                    client.usage().minus(before), delivery.staleDrops() - staleBefore + g.superseded(),
                    (System.nanoTime() - started) / 1_000_000,
                    Math.max(0, Duration.between(oldest, clock.instant()).toMillis()), null, lambdaRequestId, "queue"));
        }
        return failed;
    }

    /**
     * Grows with each failed receive: the outcome's own suggestion doubled per earlier receive, at most
     * {@link #MAX_DELAY}. A 422 waits longest: only a person (defining the attribute, fixing the data) helps.
     */
    static Duration delay(Outcome outcome, List<QueueMessage> messages) {
        int receives = messages.stream().mapToInt(QueueMessage::receiveCount).max().orElse(1);
        long base = outcome instanceof Outcome.Unavailable u ? u.retryAfterSeconds() : 300;
        long seconds = base << Math.min(Math.max(0, receives - 1), 10);
        return Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds()));
    }

    /** Changes when a failed message becomes visible again. */
    public interface Visibility {
        void delay(String receiptHandle, Duration delay);

        Visibility NONE = (handle, delay) -> { };
    }
}
