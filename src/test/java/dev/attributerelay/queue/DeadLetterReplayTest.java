package dev.attributerelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.testing.LocalSqs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Moving dead letters back, against a real SQS server (ElasticMQ on loopback). */
class DeadLetterReplayTest {
    LocalSqs sqs;
    SqsClient client;
    LocalSqs.Queues q;
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void queues() {
        sqs = LocalSqs.shared();
        client = sqs.client();
        q = sqs.fifoWithDeadLetters(LocalSqs.uniqueName("replay"));
    }

    @Test
    void movesEachMessageWithItsBodyAndGroupAndAFreshDeduplicationIdThenDeletesIt() {
        deadLetter("g1", "d1", "first of g1");
        deadLetter("g1", "d2", "second of g1");
        deadLetter("g2", "d3", "only of g2");
        // the original still sits in the queue's five-minute deduplication window: reusing its id would let SQS
        // accept the send and drop the message
        client.sendMessage(b -> b.queueUrl(q.url()).messageBody("original").messageGroupId("g0").messageDeduplicationId("d1"));

        DeadLetterReplay.Result r = replay(Integer.MAX_VALUE, false);

        assertThat(r.moved()).isEqualTo(3);
        assertThat(r.failed()).isZero();
        assertThat(text()).contains("moved 3 messages from " + q.deadLetterUrl() + " to " + q.url());
        assertThat(sqs.visible(q.deadLetterUrl()) + sqs.inFlight(q.deadLetterUrl())).isZero();
        List<Message> moved = drain(q.url());
        assertThat(moved).extracting(Message::body).contains("first of g1", "second of g1", "only of g2", "original");
        List<String> g1 = moved.stream().filter(m -> "g1".equals(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID)))
                .map(Message::body).toList();
        assertThat(g1).as("order within a group kept").containsExactly("first of g1", "second of g1");
        assertThat(moved).filteredOn(m -> !m.body().equals("original"))
                .extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                .doesNotContain("d1", "d2", "d3").doesNotHaveDuplicates();
    }

    @Test
    void aDryRunListsAndMovesNothing() {
        deadLetter("g1", "d1", "{\"v\":1,\"integration\":\"billing\",\"customer\":{\"email\":\"x@example.com\"},"
                + "\"attributes\":{\"plan\":{\"type\":\"String\",\"value\":\"pro\"}},\"source\":\"billing\","
                + "\"event_id\":\"evt_9\",\"event_time\":\"2026-01-01T00:00:00Z\",\"item\":0}");
        deadLetter("g2", "d2", "not an update");

        DeadLetterReplay.Result r = replay(Integer.MAX_VALUE, true);

        assertThat(r.moved()).isZero();
        assertThat(r.read()).isEqualTo(2);
        assertThat(text()).contains("would move message").contains("integration billing, event evt_9, attributes plan")
                .contains("(not an update this version reads)").contains("dry run: 2 messages would move")
                .doesNotContain("x@example.com");
        assertThat(sqs.visible(q.deadLetterUrl())).as("released at once, as they were").isEqualTo(2);
        assertThat(sqs.visible(q.url())).isZero();
    }

    @Test
    void maxBoundsHowManyMove() {
        for (int i = 0; i < 5; i++) {
            deadLetter("g" + i, "d" + i, "m" + i);
        }

        assertThat(replay(2, false).moved()).isEqualTo(2);

        assertThat(sqs.visible(q.url())).isEqualTo(2);
        assertThat(sqs.visible(q.deadLetterUrl())).isEqualTo(3);
    }

    @Test
    void whenTheTargetRefusesNothingLeavesTheDeadLetterQueue() {
        deadLetter("g1", "d1", "keep me");
        String missing = q.url().replace(".fifo", "-missing.fifo");

        DeadLetterReplay.Result r = new DeadLetterReplay(sqs.relayClient()).replay(q.deadLetterUrl(), missing, Integer.MAX_VALUE,
                false, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(r.moved()).isZero();
        assertThat(r.failed()).isEqualTo(1);
        assertThat(text()).contains("could not send to " + missing);
        assertThat(sqs.visible(q.deadLetterUrl())).as("still there, and visible for the next run").isEqualTo(1);
    }

    private DeadLetterReplay.Result replay(int max, boolean dryRun) {
        return new DeadLetterReplay(sqs.relayClient()).replay(q.deadLetterUrl(), q.url(), max, dryRun,
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private void deadLetter(String group, String dedup, String body) {
        client.sendMessage(b -> b.queueUrl(q.deadLetterUrl()).messageBody(body).messageGroupId(group)
                .messageDeduplicationId(dedup));
    }

    private List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> got = client.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
            got.forEach(m -> client.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
        }
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
