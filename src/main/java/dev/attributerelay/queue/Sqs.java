package dev.attributerelay.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import dev.attributerelay.aws.AwsCallException;
import dev.attributerelay.aws.AwsJsonClient;
import dev.attributerelay.chartmogul.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQS operations queued mode uses, over SQS's JSON protocol ({@link AwsJsonClient}): the queue URL goes in
 * the body, the call to the client's SQS endpoint. Each call is bounded by the caller's deadline, or else by
 * {@link #CALL_TIMEOUT}; one that does not end in an answer throws {@link AwsCallException}.
 */
public final class Sqs {
    /** A call's ceiling when no shorter deadline applies (the worker's and replay's calls). */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The longest one attempt may take. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final AwsJsonClient client;
    private final Clock clock;

    public Sqs(AwsJsonClient client) {
        this.client = client;
        this.clock = Clock.systemUTC();
    }

    public AwsJsonClient client() {
        return client;
    }

    /** One message to send: its entry id within the batch, body, and for a FIFO queue its group and dedup id. */
    public record Outgoing(String id, String body, String groupId, String deduplicationId) {
    }

    /** A received message; {@code attributes} holds the system attributes asked for. */
    public record Message(String messageId, String receiptHandle, String body, Map<String, String> attributes) {
    }

    /** An entry of a batch SQS did not take: whose fault, and SQS's code. */
    public record Failure(String id, boolean senderFault, String code, String message) {
    }

    /** What a batch call came to, entry by entry. */
    public record Batch(List<String> successful, List<Failure> failed) {
    }

    public Batch sendMessageBatch(String queueUrl, List<Outgoing> messages, Deadline deadline) {
        ObjectNode request = queue(queueUrl);
        ArrayNode entries = request.putArray("Entries");
        for (Outgoing m : messages) {
            ObjectNode e = entries.addObject();
            e.put("Id", m.id());
            e.put("MessageBody", m.body());
            if (m.groupId() != null) {
                e.put("MessageGroupId", m.groupId());
            }
            if (m.deduplicationId() != null) {
                e.put("MessageDeduplicationId", m.deduplicationId());
            }
        }
        return batch(client.answer("SendMessageBatch", request, deadline));
    }

    /** Sets when each message (receipt handle → seconds) becomes visible again. */
    public Batch changeMessageVisibilityBatch(String queueUrl, Map<String, Integer> secondsByReceiptHandle) {
        ObjectNode request = queue(queueUrl);
        ArrayNode entries = request.putArray("Entries");
        secondsByReceiptHandle.forEach((handle, seconds) -> {
            ObjectNode e = entries.addObject();
            e.put("Id", Integer.toString(entries.size() - 1));
            e.put("ReceiptHandle", handle);
            e.put("VisibilityTimeout", seconds);
        });
        return batch(client.answer("ChangeMessageVisibilityBatch", request, fallback()));
    }

    public List<Message> receiveMessage(String queueUrl, int max, int waitSeconds, int visibilitySeconds,
                                        List<String> systemAttributes) {
        ObjectNode request = queue(queueUrl);
        request.put("MaxNumberOfMessages", max);
        request.put("WaitTimeSeconds", waitSeconds);
        request.put("VisibilityTimeout", visibilitySeconds);
        if (!systemAttributes.isEmpty()) {
            ArrayNode names = request.putArray("MessageSystemAttributeNames");
            systemAttributes.forEach(names::add);
        }
        JsonNode answer = client.answer("ReceiveMessage", request, Deadline.in(CALL_TIMEOUT.plusSeconds(waitSeconds),
                clock));
        List<Message> out = new ArrayList<>();
        for (JsonNode m : answer.path("Messages")) {
            out.add(new Message(m.path("MessageId").asText(), m.path("ReceiptHandle").asText(),
                    m.path("Body").asText(), strings(m.path("Attributes"))));
        }
        return out;
    }

    public Map<String, String> getQueueAttributes(String queueUrl, List<String> names) {
        ObjectNode request = queue(queueUrl);
        ArrayNode list = request.putArray("AttributeNames");
        names.forEach(list::add);
        return strings(client.answer("GetQueueAttributes", request, fallback()).path("Attributes"));
    }

    public void deleteMessage(String queueUrl, String receiptHandle) {
        ObjectNode request = queue(queueUrl);
        request.put("ReceiptHandle", receiptHandle);
        client.answer("DeleteMessage", request, fallback());
    }

    /** Deletes the messages; entry ids are the list's indexes. */
    public Batch deleteMessageBatch(String queueUrl, Map<String, String> receiptHandleById) {
        ObjectNode request = queue(queueUrl);
        ArrayNode entries = request.putArray("Entries");
        receiptHandleById.forEach((id, handle) -> {
            ObjectNode e = entries.addObject();
            e.put("Id", id);
            e.put("ReceiptHandle", handle);
        });
        return batch(client.answer("DeleteMessageBatch", request, fallback()));
    }

    private Deadline fallback() {
        return Deadline.in(CALL_TIMEOUT, clock);
    }

    private static ObjectNode queue(String queueUrl) {
        ObjectNode request = Json.object();
        request.put("QueueUrl", queueUrl);
        return request;
    }

    private static Batch batch(JsonNode answer) {
        List<String> ok = new ArrayList<>();
        for (JsonNode s : answer.path("Successful")) {
            ok.add(s.path("Id").asText());
        }
        List<Failure> failed = new ArrayList<>();
        for (JsonNode f : answer.path("Failed")) {
            failed.add(new Failure(f.path("Id").asText(), f.path("SenderFault").asBoolean(false),
                    f.path("Code").asText(""), f.path("Message").asText("")));
        }
        return new Batch(ok, failed);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
