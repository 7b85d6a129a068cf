package dev.attributerelay.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.Relay;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.FakeChartMogul.Fault;
import dev.attributerelay.testing.LocalDynamo;
import dev.attributerelay.testing.QueueHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two containers on one table (dynalite, the real SDK client): the late, the unchanged, the slow and the lost. */
class AppliedStateOnDynamoDbTest {
    static final String UUID = "cus_d0000000-0000-4000-8000-000000000001";
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    LocalDynamo dynamo = LocalDynamo.shared();
    String table;
    FakeChartMogul cm;

    @BeforeEach
    void setUp() throws Exception {
        table = dynamo.createStateTable();
        cm = new FakeChartMogul(8).acceptKey(QueueHarness.API_KEY).defined("plan", "String").defined("seats", "Integer")
                .customer(UUID, "cus_A", "ds_stripe", null);
    }

    @AfterEach
    void tearDown() {
        cm.close();
    }

    Relay container() {
        return container(QueueHarness.CONFIG);
    }

    Relay container(String yaml) {
        return Containers.relay(cm, dynamo, table, yaml, new ByteArrayOutputStream());
    }

    static String event(String id, int minute, String plan, int seats) {
        return QueueHarness.webhook(id, T0.plusSeconds(60L * minute), "cus_A", plan, seats);
    }

    @Test
    void anOlderEventReachingASecondContainerLateIsStaleAndNotWritten() {
        Relay a = container();
        Relay b = container();
        assertThat(Containers.deliver(a, event("evt_new", 2, "pro", 9), 20_000).body().path("status").asText())
                .isEqualTo("applied");
        int puts = cm.requests("PUT").size();
        Reply late = Containers.deliver(b, event("evt_old", 1, "free", 1), 20_000);
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.body().path("message").asText()).startsWith("stale");
        assertThat(cm.requests("PUT")).hasSize(puts);
        assertThat(cm.attributesOf(UUID).get("plan").asText()).isEqualTo("pro");
        assertThat(cm.requests("GET")).as("the second container used the first one's lookup").hasSize(1);
    }

    @Test
    void anOlderWriteStillInFlightLandsBeforeTheNewerOneIsSent() throws Exception {
        Relay a = container();
        Relay b = container();
        Containers.deliver(a, event("evt_0", 0, "start", 0), 20_000); // resolved and applied once
        cm.faults(r -> r.method().equals("PUT") && r.body().contains("\"old\"") ? Fault.delay(800) : null);
        CompletableFuture<Reply> older = CompletableFuture.supplyAsync(
                () -> Containers.deliver(a, event("evt_1", 1, "old", 1), 20_000));
        while (cm.inFlight() == 0) {
            Thread.onSpinWait();
        }
        Reply newer = Containers.deliver(b, event("evt_2", 2, "new", 2), 20_000);
        assertThat(older.get().body().path("status").asText()).isEqualTo("applied");
        assertThat(newer.body().path("status").asText()).as("waited for the lease, then applied").isEqualTo("applied");
        assertThat(cm.attributesOf(UUID).get("plan").asText()).isEqualTo("new");
    }

    @Test
    void aWriteThatTimesOutAndLandsLaterIsWaitedOutBeforeANewerOne() throws Exception {
        Relay a = container();
        Relay b = container();
        Containers.deliver(a, event("evt_0", 0, "start", 0), 20_000);
        // 3 s: longer than the 1.5 s the first container has, shorter than the time its lease is kept after that
        cm.faults(r -> r.method().equals("PUT") && r.body().contains("\"old\"") ? Fault.delay(3_000) : null);
        Reply timedOut = Containers.deliver(a, event("evt_1", 1, "old", 1), 3_000);
        assertThat(timedOut.status()).as(timedOut.toString()).isEqualTo(503);
        Reply newer = Containers.deliver(b, event("evt_2", 2, "new", 2), 20_000);
        assertThat(newer.body().path("status").asText()).as(newer.toString()).isEqualTo("applied");
        assertThat(cm.inFlight()).as("the late PUT landed before the newer one was sent").isZero();
        assertThat(cm.attributesOf(UUID).get("plan").asText()).isEqualTo("new");
        // the sender of the timed-out event redelivers it: older than what is applied now
        Reply redelivered = Containers.deliver(a, event("evt_1", 1, "old", 1), 20_000);
        assertThat(redelivered.body().path("message").asText()).startsWith("stale");
        assertThat(cm.attributesOf(UUID).get("plan").asText()).isEqualTo("new");
    }

    @Test
    void aSharedUuidThatAnswers404IsResolvedAgainForEveryContainer() {
        Relay a = container();
        Containers.deliver(a, event("evt_1", 1, "pro", 5), 20_000);
        // ChartMogul merges the customer into another: the old uuid answers 404 from now on
        String merged = "cus_d0000000-0000-4000-8000-000000000002";
        cm.removeCustomer(UUID).customer(merged, "cus_A", "ds_stripe", null);
        Relay b = container(); // knows the old uuid only through the table
        Reply r = Containers.deliver(b, event("evt_2", 2, "team", 6), 20_000);
        assertThat(r.body().path("status").asText()).as(r.toString()).isEqualTo("applied");
        assertThat(cm.attributesOf(merged).get("plan").asText()).isEqualTo("team");
        assertThat(cm.requests("GET")).as("looked up again after the 404").hasSize(2);
        Reply third = Containers.deliver(container(), event("evt_3", 3, "scale", 7), 20_000);
        assertThat(third.body().path("status").asText()).isEqualTo("applied");
        assertThat(cm.requests("GET")).as("the new uuid is shared").hasSize(2);
    }

    @Test
    void unchangedValuesAreLeftOutAndNothingLeftMeansNoCall() {
        Relay a = container();
        Relay b = container();
        Containers.deliver(a, event("evt_1", 1, "pro", 5), 20_000);
        int calls = cm.requests().size();
        Reply same = Containers.deliver(b, event("evt_2", 2, "pro", 5), 20_000);
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body().path("status").asText()).isEqualTo("ignored");
        assertThat(same.body().path("message").asText()).startsWith("unchanged");
        assertThat(cm.requests()).as("no ChartMogul call at all").hasSize(calls);

        Reply seatsOnly = Containers.deliver(b, event("evt_3", 3, "pro", 6), 20_000);
        assertThat(seatsOnly.body().path("status").asText()).isEqualTo("applied");
        FakeChartMogul.Recorded put = cm.requests("PUT").get(cm.requests("PUT").size() - 1);
        assertThat(put.json().path("custom").has("plan")).as("plan is unchanged, left out").isFalse();
        assertThat(put.json().path("custom").path("seats").path("value").asInt()).isEqualTo(6);

        // an event between the first two, arriving now: the unchanged one moved the newest time forward
        Reply between = Containers.deliver(a, QueueHarness.webhook("evt_x", T0.plusSeconds(90), "cus_A", "free", 5),
                20_000);
        assertThat(between.body().path("message").asText()).startsWith("stale");
    }

    @Test
    void skipUnchangedFalseSendsEqualValuesAgain() {
        Relay a = container(QueueHarness.CONFIG.replace("on_unknown_customer: retry",
                "on_unknown_customer: retry\n    skip_unchanged: false"));
        Containers.deliver(a, event("evt_1", 1, "pro", 5), 20_000);
        int puts = cm.requests("PUT").size();
        Reply same = Containers.deliver(a, event("evt_2", 2, "pro", 5), 20_000);
        assertThat(same.body().path("status").asText()).isEqualTo("applied");
        assertThat(cm.requests("PUT")).hasSize(puts + 1);
    }

    @Test
    void dynamoDbUnavailableIs503WithRetryAfterAndNothingWritten() {
        try (LocalDynamo own = LocalDynamo.own()) {
            String t = own.createStateTable();
            Relay relay = Containers.relay(cm, own, t, QueueHarness.CONFIG, new ByteArrayOutputStream());
            own.stop();
            Reply r = Containers.deliver(relay, event("evt_1", 1, "pro", 5), 20_000);
            assertThat(r.status()).as(r.toString()).isEqualTo(503);
            assertThat(r.body().path("error").asText()).isEqualTo("unavailable");
            assertThat(r.body().path("message").asText()).contains("nothing was written without the newest-wins guard");
            assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(cm.requests()).as("no lookup, no write without the state").isEmpty();
        }
    }
}
