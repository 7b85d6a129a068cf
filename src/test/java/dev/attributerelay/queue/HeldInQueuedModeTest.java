package dev.attributerelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.mapping.HoldReason;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.LocalSqs;
import dev.attributerelay.testing.QueueHarness;
import dev.attributerelay.testing.SqsPoller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Queued mode's permanent failures: held on the first receive and reported processed, so the customer's FIFO
 * group moves on; a coalesced PUT refused for one message's attribute still applies the other messages.
 */
class HeldInQueuedModeTest {
    static final String UUID_A = "cus_aaaaaaaa-0000-0000-0000-000000000001";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    QueueHarness h;

    @BeforeEach
    void start() throws Exception {
        // seats is not defined in this account: a PUT carrying it is ChartMogul's 400
        h = new QueueHarness(LocalSqs.shared(), new FakeChartMogul()
                .customer(UUID_A, "cus_StripeA", "ds_stripe", "a@example.com").defined("plan", "String"),
                LocalSqs.MAX_RECEIVES);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    List<HeldCodec.Held> held() {
        List<HeldCodec.Held> out = new ArrayList<>();
        List<Message> batch;
        do {
            batch = h.sqs.client().receiveMessage(b -> b.queueUrl(h.heldUrl).maxNumberOfMessages(10)).messages();
            batch.forEach(m -> out.add(HeldCodec.decode(m.body())));
        } while (!batch.isEmpty());
        return out;
    }

    @Test
    void aCoalescedPutRefusedForOneMessagesAttributeHoldsThatMessageAndAppliesTheOthers() {
        h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5));       // sets seats: the culprit
        h.invoke(QueueHarness.webhook("evt_2", T0.plusSeconds(1), "cus_StripeA", "team", null));
        QueueHarness.Worker worker = h.worker();
        SqsPoller.Batch batch = h.poller(30_000).pollOnce(worker.handler(), 1);

        assertThat(batch.messages()).hasSize(2);
        assertThat(batch.failed()).as("both processed: one applied, one held").isEmpty();
        assertThat(h.chartmogul.attributesOf(UUID_A).get("plan").asText()).isEqualTo("team");
        List<HeldCodec.Held> held = held();
        assertThat(held).singleElement().satisfies(x -> {
            assertThat(x.hold().reason()).isEqualTo(HoldReason.UNDEFINED_ATTRIBUTE);
            assertThat(x.hold().eventId()).isEqualTo("evt_1");
            assertThat(x.hold().attributes()).containsKeys("seats");
        });
        assertThat(h.sqs.visible(h.queues.url()) + h.sqs.inFlight(h.queues.url())).isZero();
    }

    @Test
    void aPermanentFailureIsHeldOnItsFirstReceiveAndTheCustomersLaterUpdatesAreNotBlocked() {
        h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", 5));
        QueueHarness.Worker worker = h.worker();
        SqsPoller poller = h.poller(30_000);
        SqsPoller.Batch first = poller.pollOnce(worker.handler(), 1);
        assertThat(first.failed()).isEmpty(); // not returned to wait out 25 receives
        assertThat(held()).extracting(x -> x.hold().reason()).containsExactly(HoldReason.UNDEFINED_ATTRIBUTE);

        h.invoke(QueueHarness.webhook("evt_2", T0.plusSeconds(5), "cus_StripeA", "team", null));
        SqsPoller.Batch second = poller.pollOnce(worker.handler(), 1);
        assertThat(second.messages()).hasSize(1);
        assertThat(second.failed()).isEmpty();
        assertThat(h.chartmogul.attributesOf(UUID_A).get("plan").asText()).isEqualTo("team");
        assertThat(h.workerLines()).extracting(l -> l.path("outcome").asText()).containsExactly("held", "applied");
    }

    @Test
    void messagesReturnedUntouchedAtTheDeadlineComeBackAtOnce() {
        h.invoke(QueueHarness.webhook("evt_1", T0, "cus_StripeA", "pro", null));
        QueueHarness.Worker worker = h.worker();
        // an invocation with less time left than the worker keeps for answering: nothing is attempted
        SqsPoller.Batch batch = h.poller(100).pollOnce(worker.handler(), 1);
        assertThat(batch.failed()).hasSize(1);
        assertThat(worker.visibility().delays()).containsExactly(java.time.Duration.ZERO);
        assertThat(h.sqs.visible(h.queues.url())).isEqualTo(1); // visible again, not after the 30 s timeout
        assertThat(h.chartmogul.requests()).isEmpty();
    }
}
