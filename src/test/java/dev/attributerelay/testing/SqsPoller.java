package dev.attributerelay.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What Lambda's SQS event source mapping does for a FIFO queue with {@code ReportBatchItemFailures}: receive up
 * to ten messages, hand them to the function as an SQS event (the record shape of AWS's own samples, FIFO
 * attributes included), delete those the answer does not list in {@code batchItemFailures}, and leave the listed
 * ones to come back when their visibility ends. An answer that cannot be read, or names a message not in the
 * batch, fails the whole batch, as Lambda does. Each poller thread stands for one concurrent function instance
 * (a container with its own handler); {@code ScalingConfig.MaximumConcurrency} is the number of them.
 */
public final class SqsPoller implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGION = "eu-west-1";

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final long invocationBudgetMillis;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger invocations = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger deleted = new AtomicInteger();
    private final AtomicInteger returned = new AtomicInteger();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Batch> history = new CopyOnWriteArrayList<>();

    /** @param invocationBudgetMillis the function timeout: what {@code getRemainingTimeInMillis} starts from */
    public SqsPoller(SqsClient sqs, String queueUrl, long invocationBudgetMillis) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.invocationBudgetMillis = invocationBudgetMillis;
        this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** One receive, one invocation, the deletes. An empty receive invokes nothing. */
    public Batch pollOnce(RequestStreamHandler container, int waitSeconds) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return new Batch(List.of(), null, List.of(), null);
        }
        received.addAndGet(messages.size());
        String event = event(messages);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonNode response = null;
        List<String> failed = new ArrayList<>();
        invocations.incrementAndGet();
        try {
            container.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                    new TestContext(invocationBudgetMillis));
            response = JSON.readTree(out.toByteArray());
            Set<String> ids = new HashSet<>();
            messages.forEach(m -> ids.add(m.messageId()));
            JsonNode failures = response == null ? null : response.get("batchItemFailures");
            if (failures != null && !failures.isNull()) {
                for (JsonNode f : failures) {
                    String id = f.path("itemIdentifier").asText("");
                    if (!ids.contains(id)) {
                        throw new IllegalStateException("batchItemFailures names '" + id + "', not in the batch");
                    }
                    failed.add(id);
                }
            }
        } catch (Exception e) {
            // Lambda: a function error, or an answer it cannot use, returns the whole batch
            errors.add(e);
            failed.clear();
            messages.forEach(m -> failed.add(m.messageId()));
        }
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message m : messages) {
            if (!failed.contains(m.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(deletes.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!deletes.isEmpty()) {
            int notDeleted = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes)).failed().size();
            deleted.addAndGet(deletes.size() - notDeleted);
        }
        returned.addAndGet(failed.size());
        Batch batch = new Batch(messages, parse(event), failed, response);
        history.add(batch);
        return batch;
    }

    /** Starts one polling thread per container, each receiving, invoking its container, deleting, in a loop. */
    public SqsPoller start(List<? extends RequestStreamHandler> containers) {
        running.set(true);
        for (int i = 0; i < containers.size(); i++) {
            RequestStreamHandler container = containers.get(i);
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        pollOnce(container, 1);
                    } catch (RuntimeException e) {
                        if (running.get()) {
                            errors.add(e);
                            sleep(200);
                        }
                    }
                }
            }, "sqs-poller-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    /** Waits until the condition holds, checking every 10 ms; false when the time runs out first. */
    public static boolean await(BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(10);
        }
        return condition.getAsBoolean();
    }

    public int invocations() {
        return invocations.get();
    }

    public int received() {
        return received.get();
    }

    public int deleted() {
        return deleted.get();
    }

    /** Messages listed in batchItemFailures (or in a failed batch): left for a later receive. */
    public int returned() {
        return returned.get();
    }

    /** Every non-empty batch so far, in the order their invocations ended. */
    public List<Batch> history() {
        return List.copyOf(history);
    }

    /** Function errors and poller errors; a correct worker has none. */
    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    /** The SQS event Lambda builds: one record per message, every attribute value a string. */
    String event(List<Message> messages) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode a = r.putObject("attributes");
            m.attributesAsStrings().forEach(a::put);
            r.putObject("messageAttributes");
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", REGION);
        }
        return root.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One invocation: what was received, the event the function got, the message ids it returned, its answer.
     */
    public record Batch(List<Message> messages, JsonNode event, List<String> failed, JsonNode response) {
        public boolean isEmpty() {
            return messages.isEmpty();
        }
    }
}
