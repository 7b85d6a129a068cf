package dev.attributerelay.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/**
 * Sets when returned messages come back, with ChangeMessageVisibilityBatch, ten a request. On failure the queue's
 * own visibility timeout applies: nothing is lost, a message only comes back later or sooner than meant.
 */
public final class SqsVisibility implements QueueWorker.Visibility {
    private static final int BATCH = 10;
    /** SQS's limit for a visibility timeout. */
    private static final long MAX_SECONDS = 12 * 3600;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsVisibility(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void delay(String receiptHandle, Duration delay) {
        delayAll(Map.of(receiptHandle, delay));
    }

    @Override
    public void delayAll(Map<String, Duration> byReceiptHandle) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        byReceiptHandle.forEach((handle, delay) -> entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(entries.size())).receiptHandle(handle)
                .visibilityTimeout((int) Math.min(MAX_SECONDS, Math.max(0, delay.toSeconds()))).build()));
        for (int from = 0; from < entries.size(); from += BATCH) {
            List<ChangeMessageVisibilityBatchRequestEntry> chunk = entries.subList(from,
                    Math.min(entries.size(), from + BATCH));
            try {
                sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(chunk));
            } catch (SdkException e) {
                // see the class comment
            }
        }
    }
}
