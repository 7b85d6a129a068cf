package dev.attributerelay.queue;

import java.time.Duration;
import dev.attributerelay.aws.AwsCallException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets when returned messages come back, with ChangeMessageVisibilityBatch, ten a request. On failure the queue's
 * own visibility timeout applies: nothing is lost, a message only comes back later or sooner than meant.
 */
public final class SqsVisibility implements QueueWorker.Visibility {
    private static final int BATCH = 10;
    /** SQS's limit for a visibility timeout. */
    private static final long MAX_SECONDS = 12 * 3600;

    private final Sqs sqs;
    private final String queueUrl;

    public SqsVisibility(Sqs sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void delay(String receiptHandle, Duration delay) {
        delayAll(Map.of(receiptHandle, delay));
    }

    @Override
    public void delayAll(Map<String, Duration> byReceiptHandle) {
        List<Map.Entry<String, Duration>> entries = new ArrayList<>(byReceiptHandle.entrySet());
        for (int from = 0; from < entries.size(); from += BATCH) {
            Map<String, Integer> chunk = new LinkedHashMap<>();
            for (Map.Entry<String, Duration> e : entries.subList(from, Math.min(entries.size(), from + BATCH))) {
                chunk.put(e.getKey(), (int) Math.min(MAX_SECONDS, Math.max(0, e.getValue().toSeconds())));
            }
            try {
                sqs.changeMessageVisibilityBatch(queueUrl, chunk);
            } catch (AwsCallException e) {
                // see the class comment
            }
        }
    }
}
