package dev.attributerelay.queue;

import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.Hold;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.attributerelay.aws.AwsCallException;

/**
 * The held-updates queue: an SQS standard queue (order does not matter, newest-wins guards every replay), ten
 * messages per request, each call bounded by the request's deadline.
 */
public final class SqsHeldQueue implements HeldQueue {
    private static final int BATCH = 10;
    /** Below this, a call cannot finish: answer 503 at once rather than after the sender hung up. */
    private static final Duration MIN_CALL = Duration.ofMillis(100);

    private final Sqs sqs;
    private final String queueUrl;
    private final Clock clock;

    public SqsHeldQueue(Sqs sqs, String queueUrl, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.clock = clock;
    }

    public String url() {
        return queueUrl;
    }

    @Override
    public void hold(List<Hold> holds, Deadline deadline) {
        for (int from = 0; from < holds.size(); from += BATCH) {
            List<Hold> chunk = holds.subList(from, Math.min(holds.size(), from + BATCH));
            Map<String, Sqs.Outgoing> pending = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                pending.put(Integer.toString(i), new Sqs.Outgoing(Integer.toString(i),
                        HeldCodec.encode(chunk.get(i), clock.instant()), null, null));
            }
            for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
                Duration left = deadline.remaining();
                if (left.compareTo(MIN_CALL) < 0) {
                    throw new Unavailable("no time was left to write the held updates to the held queue");
                }
                Sqs.Batch r;
                try {
                    r = sqs.sendMessageBatch(queueUrl, new ArrayList<>(pending.values()),
                            deadline.atMost(deadline.clock().instant().plus(Sqs.CALL_TIMEOUT)));
                } catch (AwsCallException e) {
                    throw new Unavailable("the held queue did not take the held updates (" + e.reply().describe()
                            + ")");
                }
                r.successful().forEach(pending::remove);
            }
            if (!pending.isEmpty()) {
                throw new Unavailable(pending.size() + " held updates were not written to the held queue");
            }
        }
    }
}
