package dev.attributerelay.queue;

import dev.attributerelay.mapping.AttributeUpdate;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

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

    private final SqsClient sqs;
    private final Supplier<String> deduplicationIds;

    public DeadLetterReplay(SqsClient sqs) {
        this(sqs, () -> UUID.randomUUID().toString());
    }

    DeadLetterReplay(SqsClient sqs, Supplier<String> deduplicationIds) {
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
        List<Message> held = new ArrayList<>();
        List<Message> notSent = new ArrayList<>();
        try {
            while (moved + held.size() < max) {
                int want = Math.min(BATCH, max - moved - held.size());
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(from).maxNumberOfMessages(want)
                        .waitTimeSeconds(1).visibilityTimeout((int) HOLD.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID,
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                if (batch.isEmpty()) {
                    break;
                }
                if (dryRun) {
                    held.addAll(batch);
                    batch.forEach(m -> out.println("would move " + describe(m)));
                    continue;
                }
                List<Message> refused = move(batch, from, to, out);
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
    private List<Message> move(List<Message> batch, String from, String to, PrintStream out) {
        Map<String, Message> byEntry = new LinkedHashMap<>();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (Message m : batch) {
            String id = Integer.toString(entries.size());
            byEntry.put(id, m);
            String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
            SendMessageBatchRequestEntry.Builder e = SendMessageBatchRequestEntry.builder().id(id).messageBody(m.body());
            if (group != null) {
                e.messageGroupId(group).messageDeduplicationId(deduplicationIds.get());
            }
            entries.add(e.build());
        }
        SendMessageBatchResponse sent;
        try {
            sent = sqs.sendMessageBatch(b -> b.queueUrl(to).entries(entries));
        } catch (SdkException e) {
            out.println("could not send to " + to + ": " + e.getMessage());
            return batch;
        }
        List<Message> refused = new ArrayList<>();
        for (BatchResultErrorEntry f : sent.failed()) {
            refused.add(byEntry.get(f.id()));
            out.println("not moved " + describe(byEntry.get(f.id())) + ": " + f.code() + " " + f.message());
        }
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        sent.successful().forEach(ok -> deletes.add(DeleteMessageBatchRequestEntry.builder().id(ok.id())
                .receiptHandle(byEntry.get(ok.id()).receiptHandle()).build()));
        if (!deletes.isEmpty()) {
            try {
                DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(from).entries(deletes));
                deleted.failed().forEach(f -> out.println("moved, but not deleted from the dead-letter queue (it will"
                        + " be moved again, harmlessly): " + describe(byEntry.get(f.id()))));
            } catch (SdkException e) {
                out.println("moved, but not deleted from the dead-letter queue (they will be moved again,"
                        + " harmlessly): " + e.getMessage());
            }
        }
        return refused;
    }

    /** Makes held messages visible again at once, so a dry run leaves the dead-letter queue as it found it. */
    private void release(String from, List<Message> held) {
        for (int i = 0; i < held.size(); i += BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : held.subList(i, Math.min(held.size(), i + BATCH))) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                        .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
            }
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(from).entries(entries));
            } catch (SdkException e) {
                // they reappear after HOLD anyway
            }
        }
    }

    /** Ids and names only: the body may carry an email address. */
    private static String describe(Message m) {
        StringBuilder s = new StringBuilder("message ").append(m.messageId());
        try {
            AttributeUpdate u = UpdateCodec.decode(m.body());
            s.append(" (integration ").append(u.integration()).append(", event ").append(u.eventId())
                    .append(", attributes ").append(String.join(",", u.attributes().keySet())).append(')');
        } catch (RuntimeException e) {
            s.append(" (not an update this version reads)");
        }
        String receives = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        if (receives != null) {
            s.append(", received ").append(receives).append(" times");
        }
        return s.toString();
    }

    /** What a run did: moved to the queue, refused by it, and read from the dead-letter queue. */
    public record Result(int moved, int failed, int read) {
    }
}
