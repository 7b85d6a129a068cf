package dev.attributerelay.queue;

import dev.attributerelay.aws.AwsCallException;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.AttributeUpdate;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Moves dead-letter messages back to the update queue once an operator has fixed what made them fail. Each
 * message is sent with the same body and message group and a fresh deduplication id, and deleted from the
 * dead-letter queue only after the send succeeded: a crash in between sends it twice, which re-applies an
 * update harmlessly, never loses one. The deduplication id is fresh because the original one may still be in
 * the queue's five-minute window, where SQS would accept the send and silently drop the message.
 */
public final class DeadLetterReplay {
    /** How long a received message stays hidden while it is being moved (or, in a dry run, looked at). */
    static final Duration HOLD = Duration.ofSeconds(60);
    private static final int BATCH = 10;
    private static final String GROUP_ID = "MessageGroupId";
    private static final String RECEIVE_COUNT = "ApproximateReceiveCount";

    private final Sqs sqs;
    private final Supplier<String> deduplicationIds;

    public DeadLetterReplay(Sqs sqs) {
        this(sqs, () -> UUID.randomUUID().toString());
    }

    DeadLetterReplay(Sqs sqs, Supplier<String> deduplicationIds) {
        this.sqs = sqs;
        this.deduplicationIds = deduplicationIds;
    }

    /**
     * @param max    the most messages to move
     * @param dryRun only read and describe them; they stay where they are
     * @param out    a line per message and the count
     */
    public Result replay(String from, String to, int max, boolean dryRun, PrintStream out) {
        int moved = 0;
        int failed = 0;
        List<Sqs.Message> held = new ArrayList<>();
        List<Sqs.Message> notSent = new ArrayList<>();
        try {
            while (moved + held.size() < max) {
                int want = Math.min(BATCH, max - moved - held.size());
                List<Sqs.Message> batch = sqs.receiveMessage(from, want, 1, (int) HOLD.toSeconds(),
                        List.of(GROUP_ID, RECEIVE_COUNT));
                if (batch.isEmpty()) {
                    break;
                }
                if (dryRun) {
                    held.addAll(batch);
                    batch.forEach(m -> out.println("would move " + describe(m)));
                    continue;
                }
                List<Sqs.Message> refused = move(batch, from, to, out);
                notSent.addAll(refused);
                moved += batch.size() - refused.size();
                failed += refused.size();
                if (!refused.isEmpty()) {
                    break; // the target refuses: stop rather than move later messages of the same groups first
                }
            }
        } finally {
            release(from, held);
            release(from, notSent); // ready for the next run
        }
        if (dryRun) {
            out.println("dry run: " + held.size() + (held.size() == 1 ? " message" : " messages")
                    + " would move from " + from + " to " + to + "; nothing was moved");
        } else {
            out.println("moved " + moved + (moved == 1 ? " message" : " messages") + " from " + from + " to " + to
                    + (failed == 0 ? "" : "; " + failed + " could not be sent and stay in the dead-letter queue"));
        }
        return new Result(dryRun ? 0 : moved, failed, dryRun ? held.size() : moved + failed);
    }

    /** @return the messages not sent, still in the dead-letter queue */
    private List<Sqs.Message> move(List<Sqs.Message> batch, String from, String to, PrintStream out) {
        Map<String, Sqs.Message> byEntry = new LinkedHashMap<>();
        List<Sqs.Outgoing> entries = new ArrayList<>();
        for (Sqs.Message m : batch) {
            String id = Integer.toString(entries.size());
            byEntry.put(id, m);
            String group = m.attributes().get(GROUP_ID);
            entries.add(new Sqs.Outgoing(id, m.body(), group, group == null ? null : deduplicationIds.get()));
        }
        Sqs.Batch sent;
        try {
            sent = sqs.sendMessageBatch(to, entries, Deadline.in(Sqs.CALL_TIMEOUT, Clock.systemUTC()));
        } catch (AwsCallException e) {
            out.println("could not send to " + to + ": " + e.getMessage());
            return batch;
        }
        List<Sqs.Message> refused = new ArrayList<>();
        for (Sqs.Failure f : sent.failed()) {
            refused.add(byEntry.get(f.id()));
            out.println("not moved " + describe(byEntry.get(f.id())) + ": " + f.code() + " " + f.message());
        }
        Map<String, String> deletes = new LinkedHashMap<>();
        sent.successful().forEach(id -> deletes.put(id, byEntry.get(id).receiptHandle()));
        if (!deletes.isEmpty()) {
            try {
                Sqs.Batch deleted = sqs.deleteMessageBatch(from, deletes);
                deleted.failed().forEach(f -> out.println("moved, but not deleted from the dead-letter queue (it will"
                        + " be moved again, harmlessly): " + describe(byEntry.get(f.id()))));
            } catch (AwsCallException e) {
                out.println("moved, but not deleted from the dead-letter queue (they will be moved again,"
                        + " harmlessly): " + e.getMessage());
            }
        }
        return refused;
    }

    /** Makes held messages visible again at once, so a dry run leaves the dead-letter queue as it found it. */
    private void release(String from, List<Sqs.Message> held) {
        for (int i = 0; i < held.size(); i += BATCH) {
            Map<String, Integer> now = new LinkedHashMap<>();
            for (Sqs.Message m : held.subList(i, Math.min(held.size(), i + BATCH))) {
                now.put(m.receiptHandle(), 0);
            }
            try {
                sqs.changeMessageVisibilityBatch(from, now);
            } catch (AwsCallException e) {
                // they reappear after HOLD anyway
            }
        }
    }

    /** Ids and names only: the body may carry an email address. */
    private static String describe(Sqs.Message m) {
        StringBuilder s = new StringBuilder("message ").append(m.messageId());
        try {
            AttributeUpdate u = UpdateCodec.decode(m.body());
            s.append(" (integration ").append(u.integration()).append(", event ").append(u.eventId())
                    .append(", attributes ").append(String.join(",", u.attributes().keySet())).append(')');
        } catch (RuntimeException e) {
            s.append(" (not an update this version reads)");
        }
        String receives = m.attributes().get(RECEIVE_COUNT);
        if (receives != null) {
            s.append(", received ").append(receives).append(" times");
        }
        return s.toString();
    }

    /** What a run did: moved to the queue, refused by it, and read from the dead-letter queue. */
    public record Result(int moved, int failed, int read) {
    }
}
