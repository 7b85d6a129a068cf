package dev.attributerelay.queue;

import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Delays a failed message's return with ChangeMessageVisibility; on failure the queue's own timeout applies. */
public final class SqsVisibility implements QueueWorker.Visibility {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsVisibility(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void delay(String receiptHandle, Duration delay) {
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle)
                    .visibilityTimeout((int) delay.toSeconds()));
        } catch (SdkException e) {
            // the message still returns, after the queue's visibility timeout: nothing is lost
        }
    }
}
