package dev.attributerelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.LocalDynamo;
import dev.attributerelay.testing.LocalSqs;
import dev.attributerelay.testing.QueueHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.SqsPoller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Queued mode over the wire: the API function sends to a real SQS FIFO queue (ElasticMQ on loopback, reached by
 * the SDK's own endpoint configuration), a Lambda-like poller feeds the worker handler SQS events, and the
 * worker talks to loopback ChartMogul. Failures come back through real visibility changes and the redrive policy.
 */
class QueueModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String UUID_A = "cus_0a0a0a0a-0000-4000-8000-00000000000a";
    static final String UUID_B = "cus_0b0b0b0b-0000-4000-8000-00000000000b";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    QueueHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new QueueHarness(LocalSqs.shared(), chartMogul(), LocalSqs.MAX_RECEIVES);
    }

    static FakeChartMogul chartMogul() throws Exception {
        return new FakeChartMogul()
                .customer(UUID_A, "cus_StripeA", "ds_stripe", "a@example.com")
                .customer(UUID_B, "cus_StripeB", "ds_stripe", "b@example.com")
                .defined("plan", "String").defined("seats", "Integer");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aWebhookIsQueuedWithTheCustomersGroupAndTheEventsDeduplicationId() throws Exception {
        Reply reply = h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.body().get("status").asText()).isEqualTo("queued");
        assertThat(reply.body().get("updates").asInt()).isEqualTo(1);
        assertThat(h.chartmogul.requests()).as("queued mode calls ChartMogul from the worker only").isEmpty();

        List<Message> on = h.sqs.client().receiveMessage(b -> b.queueUrl(h.queues.url()).maxNumberOfMessages(10)
                .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(on).hasSize(1);
        Message m = on.get(0);
        AttributeUpdate u = UpdateCodec.decode(m.body());
        assertThat(u.integration()).isEqualTo("billing");
        assertThat(u.customer()).isEqualTo(new CustomerRef.ExternalId("cus_StripeA", null));
        assertThat(u.attributes()).containsOnlyKeys("plan", "seats");
        assertThat(u.attributes().get("plan").value()).isEqualTo("pro");
        assertThat(u.attributes().get("seats").value()).isEqualTo(5L);
        assertThat(u.eventId()).isEqualTo("evt_1");
        assertThat(u.eventTime()).isEqualTo(T0);
        // the group is the customer, hashed: SQS metadata never carries the id (or an email)
        String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
        assertThat(group).isEqualTo(sha256("external_id:cus_StripeA")).doesNotContain("cus_StripeA");
        assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
                .isEqualTo(UpdateCodec.deduplicationId(u)).matches("[0-9a-f]{64}");
        assertThat(m.body()).doesNotContain(QueueHarness.SIGNING_SECRET).doesNotContain("Stripe-Signature");
    }

    @Test
    void aRedeliveredWebhookIsQueuedOnce() {
        // a sender's redelivery is signed anew, but carries the same event
        assertThat(h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5)).status()).isEqualTo(202);
        assertThat(h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5)).status()).isEqualTo(202);
        assertThat(h.sqs.visible(h.queues.url())).as("FIFO deduplication").isEqualTo(1);

        assertThat(h.invoke(QueueHarness.webhook("evt_2", T0.plusSeconds(1), "cus_StripeA", "team", 6)).status())
                .isEqualTo(202);
        assertThat(h.sqs.visible(h.queues.url())).as("another event is another message").isEqualTo(2);
    }

    @Test
    void theWorkerAppliesAndTheMessageIsDeleted() throws Exception {
        h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5));
        QueueHarness.Worker worker = h.worker();
        SqsPoller poller = h.poller(30_000);

        SqsPoller.Batch batch = poller.pollOnce(worker.handler(), 1);

        assertThat(batch.messages()).hasSize(1);
        JsonNode record = batch.event().get("Records").get(0);
        assertThat(record.get("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(record.get("eventSourceARN").asText()).endsWith(":" + h.queues.url().substring(
                h.queues.url().lastIndexOf('/') + 1));
        assertThat(record.get("attributes").fieldNames()).toIterable().contains("ApproximateReceiveCount",
                "SentTimestamp", "MessageGroupId", "MessageDeduplicationId", "SequenceNumber");
        assertThat(batch.response()).isEqualTo(JSON.readTree("{\"batchItemFailures\":[]}"));
        assertThat(h.chartmogul.attributesOf(UUID_A)).containsEntry("plan", JSON.readTree("\"pro\""))
                .containsEntry("seats", JSON.readTree("5"));
        assertThat(h.chartmogul.requests("PUT")).hasSize(1);
        assertThat(h.chartmogul.requests("PUT").get(0).json()).isEqualTo(JSON.readTree(
                "{\"custom\":{\"plan\":{\"value\":\"pro\",\"source\":\"billing\"},\"seats\":{\"value\":5,\"source\":\"billing\"}}}"));
        assertThat(h.sqs.visible(h.queues.url()) + h.sqs.inFlight(h.queues.url())).isZero();

        JsonNode line = h.workerLines().get(0);
        assertThat(line.get("via").asText()).isEqualTo("queue");
        assertThat(line.get("outcome").asText()).isEqualTo("applied");
        assertThat(line.get("event_id").asText()).isEqualTo("evt_1");
        assertThat(line.get("queue_age_ms").isNumber()).isTrue();
    }

    @Test
    void oneCustomersEventsInOneBatchBecomeOnePutAndTheNewerValueWinsPerAttribute() throws Exception {
        // the newer event arrives first and sets only the plan; the older one sets plan and seats
        h.invoke(QueueHarness.webhook("evt_new", T0.plusSeconds(60), "cus_StripeA", "enterprise", null));
        h.invoke(QueueHarness.webhook("evt_old", T0, "cus_StripeA", "starter", 3));
        h.invoke(QueueHarness.webhook("evt_b", T0, "cus_StripeB", "pro", 9));
        QueueHarness.Worker worker = h.worker();

        SqsPoller.Batch batch = h.poller(30_000).pollOnce(worker.handler(), 1);

        assertThat(batch.messages()).as("all three in one batch").hasSize(3);
        assertThat(batch.failed()).isEmpty();
        List<FakeChartMogul.Recorded> puts = h.chartmogul.requests("PUT");
        assertThat(puts).as("one PUT per customer").hasSize(2);
        FakeChartMogul.Recorded putA = puts.stream().filter(p -> p.path().contains(UUID_A)).findFirst().orElseThrow();
        assertThat(putA.json()).isEqualTo(JSON.readTree("{\"custom\":{"
                + "\"plan\":{\"value\":\"enterprise\",\"source\":\"billing\"},"
                + "\"seats\":{\"value\":3,\"source\":\"billing\"}}}"));
        assertThat(h.chartmogul.attributesOf(UUID_B).get("seats").asInt()).isEqualTo(9);
        assertThat(h.sqs.visible(h.queues.url()) + h.sqs.inFlight(h.queues.url())).isZero();
        JsonNode lineA = h.workerLines().stream().filter(l -> l.get("customer").asText()
                        .equals(dev.attributerelay.testing.TestSupport.pseudonym(QueueHarness.API_KEY, "external_id:cus_StripeA")))
                .findFirst().orElseThrow();
        assertThat(lineA.get("event_id").asText()).as("the coalesced update carries its newest event").isEqualTo("evt_new");
        assertThat(lineA.get("stale_drops").asInt()).as("the older plan was superseded").isEqualTo(1);
    }

    @Test
    void anOlderEventAfterANewerOneWasAppliedIsDroppedAsStale() throws Exception {
        QueueHarness.Worker worker = h.worker();
        SqsPoller poller = h.poller(30_000);
        h.invoke(QueueHarness.webhook("evt_new", T0.plusSeconds(60), "cus_StripeA", "enterprise", 20));
        poller.pollOnce(worker.handler(), 1);
        assertThat(h.chartmogul.requests("PUT")).hasSize(1);

        h.invoke(QueueHarness.webhook("evt_old", T0, "cus_StripeA", "starter", 3));
        SqsPoller.Batch batch = poller.pollOnce(worker.handler(), 1);

        assertThat(batch.messages()).hasSize(1);
        assertThat(batch.failed()).as("a stale update is done with, not retried").isEmpty();
        assertThat(h.chartmogul.requests("PUT")).as("nothing older is written over newer data").hasSize(1);
        assertThat(h.chartmogul.attributesOf(UUID_A).get("plan").asText()).isEqualTo("enterprise");
        JsonNode line = h.workerLines().get(h.workerLines().size() - 1);
        assertThat(line.get("event_id").asText()).isEqualTo("evt_old");
        assertThat(line.get("outcome").asText()).isEqualTo("ignored");
        assertThat(line.get("message").asText()).startsWith("stale");
        assertThat(line.get("stale_drops").asInt()).isEqualTo(2);
        assertThat(h.sqs.visible(h.queues.url()) + h.sqs.inFlight(h.queues.url())).isZero();
    }

    @Test
    void anOlderEventReachingASecondWorkerContainerLateIsStaleThroughTheSharedTable() throws Exception {
        LocalDynamo dynamo = LocalDynamo.shared();
        Map<String, String> env = dynamo.env(dynamo.createStateTable());
        QueueHarness.Worker first = h.worker(RateLimiter.unlimited(), RelayHarness.fastRetries(),
                UnaryOperator.identity(), Wiring.stateStore(env));
        QueueHarness.Worker second = h.worker(RateLimiter.unlimited(), RelayHarness.fastRetries(),
                UnaryOperator.identity(), Wiring.stateStore(env));
        SqsPoller poller = h.poller(30_000);
        h.invoke(QueueHarness.webhook("evt_new", T0.plusSeconds(60), "cus_StripeA", "enterprise", 20));
        poller.pollOnce(first.handler(), 1);
        h.invoke(QueueHarness.webhook("evt_old", T0, "cus_StripeA", "starter", 3));
        SqsPoller.Batch batch = poller.pollOnce(second.handler(), 1);

        assertThat(batch.messages()).hasSize(1);
        assertThat(batch.failed()).isEmpty();
        assertThat(h.chartmogul.requests("PUT")).as("the second container knows what the first applied").hasSize(1);
        assertThat(h.chartmogul.requests("GET")).as("and whom it resolved").hasSize(1);
        assertThat(h.chartmogul.attributesOf(UUID_A).get("plan").asText()).isEqualTo("enterprise");
    }

    @Test
    void dynamoDbUnavailableReturnsTheMessageAndWritesNothing() throws Exception {
        try (LocalDynamo own = LocalDynamo.own()) {
            Map<String, String> env = own.env(own.createStateTable());
            QueueHarness.Worker worker = h.worker(RateLimiter.unlimited(), RelayHarness.fastRetries(),
                    UnaryOperator.identity(), Wiring.stateStore(env));
            own.stop();
            h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5));
            SqsPoller.Batch batch = h.poller(30_000).pollOnce(worker.handler(), 1);
            assertThat(batch.failed()).as("returned to the queue").hasSize(1);
            assertThat(h.chartmogul.requests()).as("nothing sent without the guard").isEmpty();
            JsonNode line = h.workerLines().get(h.workerLines().size() - 1);
            assertThat(line.get("outcome").asText()).isEqualTo("unavailable");
        }
    }

    @Test
    void aChartMogul503ReturnsTheMessageWithADelayAndALaterReceiveAppliesIt() throws Exception {
        h.chartmogul.thenAnswer(503, "{\"error\":\"Service Unavailable\"}", Map.of("Retry-After", "1"));
        h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5));
        QueueHarness.Worker worker = h.worker();
        // a 2.5 s function: ChartMogul's Retry-After does not fit the time left, so the message goes back
        SqsPoller poller = h.poller(2_500);

        SqsPoller.Batch first = poller.pollOnce(worker.handler(), 1);
        String id = first.messages().get(0).messageId();
        assertThat(first.response()).isEqualTo(JSON.readTree("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + id + "\"}]}"));
        assertThat(worker.visibility().delays()).containsExactly(Duration.ofSeconds(1));
        assertThat(h.chartmogul.requests("PUT")).isEmpty();
        assertThat(poller.pollOnce(worker.handler(), 0).isEmpty()).as("hidden for the delay").isTrue();

        SqsPoller.Batch later = awaitBatch(poller, worker);
        assertThat(later.messages().get(0).messageId()).isEqualTo(id);
        assertThat(later.event().at("/Records/0/attributes/ApproximateReceiveCount").asText()).isEqualTo("2");
        assertThat(later.failed()).isEmpty();
        assertThat(h.chartmogul.attributesOf(UUID_A).get("plan").asText()).isEqualTo("pro");
        assertThat(h.workerLines()).extracting(l -> l.get("outcome").asText()).containsExactly("unavailable", "applied");
    }

    @Test
    void anUnknownCustomerWithRetryPolicyGoesBackUntilTheCustomerExists() throws Exception {
        h.invoke(QueueHarness.webhook("evt_1", T0, "cus_NotYetInChartMogul", "pro", 5));
        QueueHarness.Worker worker = h.worker();
        SqsPoller poller = h.poller(30_000);

        SqsPoller.Batch first = poller.pollOnce(worker.handler(), 1);

        assertThat(first.failed()).hasSize(1);
        assertThat(worker.visibility().delays()).containsExactly(Duration.ofSeconds(60));
        assertThat(h.sqs.visible(h.queues.url())).isZero();
        assertThat(h.sqs.inFlight(h.queues.url())).isEqualTo(1);
        assertThat(h.workerLines().get(0).get("message").asText()).contains("on_unknown_customer: retry");

        // the customer is imported; a minute later the message is visible again (made so here, without the wait)
        h.chartmogul.customer("cus_0c0c0c0c-0000-4000-8000-00000000000c", "cus_NotYetInChartMogul", "ds_stripe", null);
        h.sqs.client().changeMessageVisibility(b -> b.queueUrl(h.queues.url())
                .receiptHandle(first.messages().get(0).receiptHandle()).visibilityTimeout(0));
        SqsPoller.Batch later = poller.pollOnce(worker.handler(), 1);
        assertThat(later.failed()).isEmpty();
        assertThat(h.chartmogul.attributesOf("cus_0c0c0c0c-0000-4000-8000-00000000000c").get("plan").asText())
                .isEqualTo("pro");
    }

    @Test
    void afterTheRedriveLimitTheMessageIsInTheDeadLetterQueueAndReplayBringsItBack() throws Exception {
        h.chartmogul.faults(r -> FakeChartMogul.Fault.answer(503, "{\"error\":\"down\"}", Map.of("Retry-After", "1")));
        h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5));
        QueueHarness.Worker worker = h.worker();
        SqsPoller poller = h.poller(2_500);

        int failures = 0;
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (h.sqs.visible(h.queues.deadLetterUrl()) == 0 && System.nanoTime() < until) {
            failures += poller.pollOnce(worker.handler(), 1).failed().size();
        }

        assertThat(failures).isEqualTo(LocalSqs.MAX_RECEIVES);
        assertThat(worker.visibility().delays()).as("the delay grows").containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        assertThat(h.sqs.visible(h.queues.deadLetterUrl())).isEqualTo(1);
        assertThat(h.sqs.visible(h.queues.url()) + h.sqs.inFlight(h.queues.url())).isZero();

        // the operator fixes the cause and replays
        h.chartmogul.faults(null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        DeadLetterReplay.Result moved = new DeadLetterReplay(h.sqs.relayClient()).replay(h.queues.deadLetterUrl(),
                h.queues.url(), Integer.MAX_VALUE, false, new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(moved.moved()).isEqualTo(1);
        SqsPoller.Batch replayed = poller.pollOnce(worker.handler(), 1);
        assertThat(replayed.failed()).isEmpty();
        assertThat(replayed.event().at("/Records/0/attributes/ApproximateReceiveCount").asText()).isEqualTo("1");
        assertThat(h.chartmogul.attributesOf(UUID_A).get("plan").asText()).isEqualTo("pro");
    }

    @Test
    void whenTheQueueIsUnavailableTheApiAnswers503WithRetryAfter() throws Exception {
        try (LocalSqs own = new LocalSqs();
             QueueHarness q = new QueueHarness(own, chartMogul(), LocalSqs.MAX_RECEIVES)) {
            assertThat(q.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5)).status()).isEqualTo(202);
            own.stop();

            Reply reply = q.invoke(QueueHarness.webhook("evt_2", T0, "cus_StripeA", "team", 6));

            assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
            assertThat(reply.body().get("error").asText()).isEqualTo("unavailable");
            assertThat(reply.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(q.chartmogul.requests()).isEmpty();
        }
    }

    private static SqsPoller.Batch awaitBatch(SqsPoller poller, QueueHarness.Worker worker) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until) {
            SqsPoller.Batch b = poller.pollOnce(worker.handler(), 1);
            if (!b.isEmpty()) {
                return b;
            }
        }
        throw new AssertionError("nothing came back within 5 s");
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
