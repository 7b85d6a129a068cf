package dev.attributerelay.queue;

import dev.attributerelay.aws.AwsCallException;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.AttributeUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An SQS FIFO queue over SQS's JSON protocol ({@link Sqs}); ten messages per request, SQS's maximum. */
public final class SqsUpdateQueue implements UpdateQueue {
    private static final int BATCH = 10;
    private final Sqs sqs;
    private final String queueUrl;

    public SqsUpdateQueue(Sqs sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public Sqs client() {
        return sqs;
    }

    public String url() {
        return queueUrl;
    }

    @Override
    public void send(List<AttributeUpdate> updates, Deadline deadline) {
        List<AttributeUpdate> refused = new ArrayList<>();
        String refusal = null;
        for (int from = 0; from < updates.size(); from += BATCH) {
            List<AttributeUpdate> chunk = updates.subList(from, Math.min(updates.size(), from + BATCH));
            Map<String, Sqs.Outgoing> pending = new LinkedHashMap<>(); // queue order within a batch
            for (int i = 0; i < chunk.size(); i++) {
                AttributeUpdate u = chunk.get(i);
                pending.put(Integer.toString(i), new Sqs.Outgoing(Integer.toString(i), UpdateCodec.encode(u),
                        UpdateCodec.groupId(u), UpdateCodec.deduplicationId(u)));
            }
            // one more try for entries SQS refused on their own (throttling, a passing fault)
            for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
                Duration left = deadline.remaining();
                if (left.toMillis() < 100) {
                    throw new QueueUnavailableException("no time was left to queue the updates");
                }
                Sqs.Batch r;
                try {
                    r = sqs.sendMessageBatch(queueUrl, new ArrayList<>(pending.values()),
                            deadline.atMost(deadline.clock().instant().plus(Sqs.CALL_TIMEOUT)));
                } catch (AwsCallException e) {
                    throw new QueueUnavailableException("the update queue did not take the updates ("
                            + e.reply().describe() + ")");
                }
                r.successful().forEach(pending::remove);
                for (Sqs.Failure failed : r.failed()) {
                    if (failed.senderFault()) {
                        // the contents themselves (InvalidMessageContents, too long): sending again cannot help
                        pending.remove(failed.id());
                        refused.add(chunk.get(Integer.parseInt(failed.id())));
                        refusal = "the update queue refused the update as it is (" + failed.code() + ")";
                    }
                }
            }
            if (!pending.isEmpty()) {
                throw new QueueUnavailableException(pending.size() + " updates were not queued; redeliver later");
            }
        }
        if (!refused.isEmpty()) {
            throw new Refused(refused, refusal);
        }
    }
}
