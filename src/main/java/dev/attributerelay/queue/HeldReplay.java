package dev.attributerelay.queue;

import dev.attributerelay.DeliveryResult;
import dev.attributerelay.aws.AwsCallException;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.Hold;
import dev.attributerelay.mapping.HoldReason;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.RelayConfig;
import dev.attributerelay.mapping.Rule;
import dev.attributerelay.mapping.TypedValue;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends held updates again once their cause is fixed. Each is rebuilt under the current relay.yaml (a value that
 * did not coerce is coerced again with the type declared now) and delivered: through ChartMogul, or onto the update
 * queue. Newest wins still guards it, so an update older than what was applied since is dropped as stale. An
 * update that is still held goes back to the held queue with its new reason before the old message is deleted;
 * one that fails for a reason that may pass stays where it is for the next run.
 */
public final class HeldReplay {
    /** How long a received message stays hidden while it is being replayed (or, in a dry run, listed). */
    static final Duration HOLD = Duration.ofSeconds(60);
    private static final int BATCH = 10;

    private final Sqs sqs;
    private final RelayConfig config;
    private final Target target;
    private final Clock clock;

    public HeldReplay(Sqs sqs, RelayConfig config, Target target, Clock clock) {
        this.sqs = sqs;
        this.config = config;
        this.target = target;
        this.clock = clock;
    }

    /** Where a rebuilt update goes: ChartMogul through the relay's delivery, or the update queue. */
    public interface Target {
        DeliveryResult send(Integration integration, AttributeUpdate update, Deadline deadline);
    }

    /** The update queue as a target: queued counts as sent; contents SQS refuses stay held. */
    public static Target onto(UpdateQueue queue) {
        return (integration, update, deadline) -> {
            try {
                queue.send(List.of(update), deadline);
                return new DeliveryResult.Applied(1);
            } catch (UpdateQueue.Refused e) {
                return new DeliveryResult.Held(Hold.of(update, HoldReason.INVALID_MESSAGE, e.getMessage()));
            } catch (UpdateQueue.QueueUnavailableException e) {
                return new DeliveryResult.RetryLater(5, e.getMessage());
            }
        };
    }

    public Result replay(String from, int max, boolean dryRun, PrintStream out) {
        SqsHeldQueue back = new SqsHeldQueue(sqs, from, clock);
        int sent = 0;
        int heldAgain = 0;
        int failed = 0;
        int read = 0;
        List<Sqs.Message> release = new ArrayList<>();
        // what goes back held lands in the same queue: read no more than was there when the run began
        int limit = Math.min(max, waiting(from));
        try {
            while (read < limit) {
                int want = Math.min(BATCH, limit - read);
                List<Sqs.Message> batch = sqs.receiveMessage(from, want, 1, (int) HOLD.toSeconds(), List.of());
                if (batch.isEmpty()) {
                    break;
                }
                read += batch.size();
                for (Sqs.Message m : batch) {
                    HeldCodec.Held held;
                    try {
                        held = HeldCodec.decode(m.body());
                    } catch (IllegalArgumentException e) {
                        out.println("not replayed: message " + m.messageId() + " is not a held update (" + e.getMessage()
                                + ")");
                        failed++;
                        release.add(m);
                        continue;
                    }
                    Hold hold = held.hold();
                    if (dryRun) {
                        out.println("held " + describe(hold) + " since " + held.heldAt() + ": " + hold.reason().code()
                                + ": " + hold.message());
                        release.add(m);
                        continue;
                    }
                    Outcome o = replayOne(hold);
                    if (o.stillHeld != null) {
                        try {
                            back.hold(List.of(o.stillHeld), Deadline.in(Duration.ofSeconds(20), clock));
                        } catch (HeldQueue.Unavailable e) {
                            out.println("failed " + describe(hold) + ": " + e.getMessage() + "; it stays held as it was");
                            failed++;
                            release.add(m);
                            continue;
                        }
                        out.println("held again " + describe(hold) + ": " + o.stillHeld.reason().code() + ": "
                                + o.stillHeld.message());
                        heldAgain++;
                    }
                    if (o.retryLater != null) {
                        out.println("failed " + describe(hold) + ": " + o.retryLater + "; it stays held for the next run");
                        failed++;
                        release.add(m);
                        continue;
                    }
                    if (o.sent) {
                        out.println("sent " + describe(hold));
                        sent++;
                    }
                    delete(from, m, out);
                }
            }
        } finally {
            release(from, release);
        }
        if (dryRun) {
            out.println("dry run: " + read + (read == 1 ? " held update" : " held updates") + " in " + from
                    + "; nothing was sent");
        } else {
            out.println("replayed " + read + (read == 1 ? " held update" : " held updates") + ": " + sent + " sent, "
                    + heldAgain + " held again, " + failed + " failed");
        }
        return new Result(read, sent, heldAgain, failed);
    }

    /** What became of one hold: sent (some or all of it), and what is held again or must wait. */
    private record Outcome(boolean sent, Hold stillHeld, String retryLater) {
    }

    private Outcome replayOne(Hold hold) {
        Integration integration = config.integration(hold.integration());
        if (integration == null) {
            return new Outcome(false, hold.because(HoldReason.UNMAPPABLE, "integration '" + hold.integration()
                    + "' is not in relay.yaml"), null);
        }
        if (hold.customer() == null) {
            return new Outcome(false, hold, null); // no customer to send it to: only a person can act on it
        }
        Map<String, TypedValue> typed = new LinkedHashMap<>(hold.attributes());
        Map<String, Hold.Unconverted> still = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        hold.unconverted().forEach((key, u) -> {
            AttributeType type = declared(integration, key, u.declared());
            try {
                Object v = type.coerce(u.value());
                if (v != null) {
                    typed.put(key, new TypedValue(type, v));
                }
            } catch (AttributeType.CoercionException e) {
                still.put(key, new Hold.Unconverted(type, u.value()));
                problems.add("attribute " + key + " (" + type + ") " + e.getMessage());
            }
        });
        Hold stillHeld = still.isEmpty() ? null : new Hold(HoldReason.UNCOERCIBLE, String.join("; ", problems),
                hold.integration(), hold.customer(), Map.of(), still, hold.source(), hold.eventId(), hold.eventType(),
                hold.eventTime(), hold.item());
        if (typed.isEmpty()) {
            return new Outcome(false, stillHeld == null ? null : stillHeld, null);
        }
        AttributeUpdate update = new AttributeUpdate(hold.integration(), hold.customer(), typed, hold.source(),
                hold.eventId(), hold.eventType(), hold.eventTime(), hold.item());
        DeliveryResult r = target.send(integration, update, Deadline.in(Duration.ofSeconds(30), clock));
        if (r instanceof DeliveryResult.RetryLater later) {
            return new Outcome(false, null, later.reason());
        }
        if (r instanceof DeliveryResult.Held h) {
            Hold again = h.hold();
            if (stillHeld != null) {
                Map<String, Hold.Unconverted> both = new LinkedHashMap<>(still);
                again = new Hold(again.reason(), again.message() + "; " + stillHeld.message(), again.integration(),
                        again.customer(), again.attributes(), both, again.source(), again.eventId(), again.eventType(),
                        again.eventTime(), again.item());
            }
            return new Outcome(false, again, null);
        }
        return new Outcome(true, stillHeld, null); // applied, unchanged, stale or skipped: nothing more to send
    }

    /** The type relay.yaml declares for the key now (the fix may have been to the rule), else the one it had. */
    private static AttributeType declared(Integration integration, String key, AttributeType then) {
        for (Rule rule : integration.rules()) {
            for (Rule.AttributeSpec spec : rule.attributes()) {
                if (spec.key().equals(key)) {
                    return spec.type();
                }
            }
        }
        return then;
    }

    private int waiting(String from) {
        String n = sqs.getQueueAttributes(from, List.of("ApproximateNumberOfMessages"))
                .get("ApproximateNumberOfMessages");
        try {
            return n == null ? 0 : Integer.parseInt(n);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void delete(String from, Sqs.Message m, PrintStream out) {
        try {
            sqs.deleteMessage(from, m.receiptHandle());
        } catch (AwsCallException e) {
            out.println("sent, but not deleted from the held queue (a later run sends it again, harmlessly): message "
                    + m.messageId());
        }
    }

    /** Makes listed or not replayed messages visible again at once. */
    private void release(String from, List<Sqs.Message> messages) {
        for (int i = 0; i < messages.size(); i += BATCH) {
            Map<String, Integer> now = new LinkedHashMap<>();
            for (Sqs.Message m : messages.subList(i, Math.min(messages.size(), i + BATCH))) {
                now.put(m.receiptHandle(), 0);
            }
            try {
                sqs.changeMessageVisibilityBatch(from, now);
            } catch (AwsCallException e) {
                // they reappear after HOLD anyway
            }
        }
    }

    /** Ids and names only: a held update may carry an email address and values. */
    private static String describe(Hold h) {
        return "event " + h.eventId() + " (integration " + h.integration() + ", attributes "
                + String.join(",", h.keys()) + ")";
    }

    /** What a run did: read from the held queue, sent on, held again, and left for a later run. */
    public record Result(int read, int sent, int heldAgain, int failed) {
    }
}
