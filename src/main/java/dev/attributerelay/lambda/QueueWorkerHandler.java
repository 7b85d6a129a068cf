package dev.attributerelay.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Json;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.queue.QueueMessage;
import dev.attributerelay.queue.QueueWorker;
import dev.attributerelay.queue.SqsVisibility;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queued mode's worker: an SQS event source mapping with {@code ReportBatchItemFailures} hands it batches
 * from the FIFO update queue; it answers which messages failed, so only those return.
 */
public final class QueueWorkerHandler implements RequestStreamHandler {
    private final QueueWorker worker;
    private final Clock clock;

    public QueueWorkerHandler() {
        this(worker(System.getenv()), Clock.systemUTC());
    }

    public QueueWorkerHandler(QueueWorker worker, Clock clock) {
        this.worker = worker;
        this.clock = clock;
    }

    private static QueueWorker worker(Map<String, String> env) {
        Relay relay = Wiring.forLambda(withoutQueue(env));
        String queueUrl = env.get("RELAY_QUEUE_URL");
        QueueWorker.Visibility visibility = queueUrl == null || queueUrl.isBlank()
                ? QueueWorker.Visibility.NONE
                : new SqsVisibility(Wiring.sqs(env), queueUrl.trim());
        return new QueueWorker(relay.config(), relay.delivery(), relay.client(), visibility, relay.held(), relay.log(),
                Clock.systemUTC());
    }

    /** The worker delivers; it never queues again. */
    private static Map<String, String> withoutQueue(Map<String, String> env) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.remove("RELAY_QUEUE_URL");
        return copy;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.readTree(input.readAllBytes());
        List<QueueMessage> batch = new ArrayList<>();
        for (JsonNode r : event.path("Records")) {
            JsonNode a = r.path("attributes");
            long sent = a.path("SentTimestamp").asLong(clock.millis());
            batch.add(new QueueMessage(r.path("messageId").asText(), r.path("receiptHandle").asText(),
                    r.path("body").asText(), a.path("ApproximateReceiveCount").asInt(1), Instant.ofEpochMilli(sent)));
        }
        List<String> failed = worker.process(batch, Invocation.deadline(context, clock), Invocation.requestId(context));
        List<Map<String, String>> items = new ArrayList<>();
        failed.forEach(id -> items.add(Map.of("itemIdentifier", id)));
        output.write(Json.write(Map.of("batchItemFailures", items)).getBytes(StandardCharsets.UTF_8));
    }
}
