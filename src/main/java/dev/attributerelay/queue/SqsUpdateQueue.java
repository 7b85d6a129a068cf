package dev.attributerelay.queue;

import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.AttributeUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** An SQS FIFO queue, through SDK v2 with the URL-connection client; ten messages per request, SQS's maximum. */
public final class SqsUpdateQueue implements UpdateQueue {
    private static final int BATCH = 10;
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsUpdateQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** A call's ceiling when no shorter deadline applies (the worker's and replay's calls). */
    static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);

    /**
     * Region, credentials and endpoint ({@code AWS_ENDPOINT_URL_SQS}) from the environment; no call hangs: each has
     * an overall and a per-attempt timeout (a request's own deadline shortens them further).
     */
    public static SqsClient defaultClient() {
        return SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2)).socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(c -> c.apiCallTimeout(API_CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT))
                .build();
    }

    public SqsClient client() {
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
            Map<String, SendMessageBatchRequestEntry> pending = new LinkedHashMap<>(); // queue order within a batch
            for (int i = 0; i < chunk.size(); i++) {
                AttributeUpdate u = chunk.get(i);
                pending.put(Integer.toString(i), SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(UpdateCodec.encode(u))
                        .messageGroupId(UpdateCodec.groupId(u))
                        .messageDeduplicationId(UpdateCodec.deduplicationId(u))
                        .build());
            }
            // one more try for entries SQS refused on their own (throttling, a passing fault)
            for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
                Duration left = deadline.remaining();
                if (left.toMillis() < 100) {
                    throw new QueueUnavailableException("no time was left to queue the updates");
                }
                SendMessageBatchResponse r;
                try {
                    r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(new ArrayList<>(pending.values()))
                            .overrideConfiguration(o -> o.apiCallTimeout(left)));
                } catch (SdkException e) {
                    throw new QueueUnavailableException("the update queue did not take the updates ("
                            + e.getClass().getSimpleName() + ")");
                }
                r.successful().forEach(ok -> pending.remove(ok.id()));
                for (BatchResultErrorEntry failed : r.failed()) {
                    if (Boolean.TRUE.equals(failed.senderFault())) {
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
