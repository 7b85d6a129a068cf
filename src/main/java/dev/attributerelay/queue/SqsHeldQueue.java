package dev.attributerelay.queue;

import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.Hold;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The held-updates queue: an SQS standard queue (order does not matter, newest-wins guards every replay), ten
 * messages per request, each call bounded by the request's deadline.
 */
public final class SqsHeldQueue implements HeldQueue {
    private static final int BATCH = 10;
    /** Below this, a call cannot finish: answer 503 at once rather than after the sender hung up. */
    private static final Duration MIN_CALL = Duration.ofMillis(100);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Clock clock;

    public SqsHeldQueue(SqsClient sqs, String queueUrl, Clock clock) {
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
            Map<String, SendMessageBatchRequestEntry> pending = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                pending.put(Integer.toString(i), SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(HeldCodec.encode(chunk.get(i), clock.instant())).build());
            }
            for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
                Duration left = deadline.remaining();
                if (left.compareTo(MIN_CALL) < 0) {
                    throw new Unavailable("no time was left to write the held updates to the held queue");
                }
                SendMessageBatchResponse r;
                try {
                    r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(new ArrayList<>(pending.values()))
                            .overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(left)
                                    .build()));
                } catch (SdkException e) {
                    throw new Unavailable("the held queue did not take the held updates ("
                            + e.getClass().getSimpleName() + ")");
                }
                r.successful().forEach(ok -> pending.remove(ok.id()));
            }
            if (!pending.isEmpty()) {
                throw new Unavailable(pending.size() + " held updates were not written to the held queue");
            }
        }
    }
}
