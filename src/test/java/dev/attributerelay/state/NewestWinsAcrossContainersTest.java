package dev.attributerelay.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Relay;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.FakeChartMogul.Fault;
import dev.attributerelay.testing.LocalDynamo;
import dev.attributerelay.testing.QueueHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The race the shared state exists for: several containers, one table, every customer's events shuffled across
 * them, and a ChartMogul whose answers take 0-300 ms, so that without the lease an older PUT lands after a newer
 * one. ChartMogul's final values are what counts.
 */
class NewestWinsAcrossContainersTest {
    static final int CONTAINERS = 3;
    static final int CUSTOMERS = 20;
    static final int EVENTS_EACH = 5;
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    record Event(String id, int customer, Instant created, String plan, int seats) {
        String webhook() {
            return QueueHarness.webhook(id, created, "cus_S" + customer, plan, seats);
        }
    }

    static String uuid(int customer) {
        return String.format("cus_e0000000-0000-4000-8000-%012d", customer);
    }

    @Test
    void threeContainersWithShuffledEventsAndSlowAnswersLeaveEveryCustomerAtItsNewestValue() throws Exception {
        LocalDynamo dynamo = LocalDynamo.shared();
        String table = dynamo.createStateTable();
        Random rnd = new Random(20261207L);
        List<Event> events = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            for (int k = 0; k < EVENTS_EACH; k++) {
                events.add(new Event("evt_" + c + "_" + k, c, T0.plusSeconds(60L * k + c), "plan-" + c + "-" + k, k));
            }
        }
        Collections.shuffle(events, rnd);
        try (FakeChartMogul cm = new FakeChartMogul(16)) {
            cm.acceptKey(QueueHarness.API_KEY).defined("plan", "String").defined("seats", "Integer");
            for (int c = 0; c < CUSTOMERS; c++) {
                cm.customer(uuid(c), "cus_S" + c, "ds_stripe", null);
            }
            Random delays = new Random(7);
            cm.faults(r -> {
                synchronized (delays) {
                    return Fault.delay(delays.nextInt(301));
                }
            });
            List<Relay> relays = new ArrayList<>();
            for (int i = 0; i < CONTAINERS; i++) {
                relays.add(Containers.relay(cm, dynamo, table, QueueHarness.CONFIG, new ByteArrayOutputStream()));
            }

            List<Reply> answers = run(relays, events);
            assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));

            int staleOverwrites = 0;
            for (int c = 0; c < CUSTOMERS; c++) {
                Map<String, JsonNode> held = cm.attributesOf(uuid(c));
                if (!held.get("plan").asText().equals("plan-" + c + "-" + (EVENTS_EACH - 1))
                        || held.get("seats").asInt() != EVENTS_EACH - 1) {
                    staleOverwrites++;
                }
            }
            assertThat(staleOverwrites).as("customers left at an older value").isZero();
            long lookups = cm.requests("GET").size();
            assertThat(lookups).as("one lookup per customer across all containers").isEqualTo(CUSTOMERS);

            // every sender redelivers its newest event: already applied, so nothing is sent again
            int putsBefore = cm.requests("PUT").size();
            List<Event> newest = new ArrayList<>();
            for (Event e : events) {
                if (e.seats() == EVENTS_EACH - 1) {
                    newest.add(e);
                }
            }
            List<Reply> again = run(relays, newest);
            assertThat(again).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body().path("status").asText()).isEqualTo("ignored");
                assertThat(r.body().path("message").asText()).startsWith("unchanged");
            });
            assertThat(cm.requests("PUT")).as("a redelivery of what was applied sends nothing").hasSize(putsBefore);
            System.out.printf("newest wins across %d containers: %d customers x %d events, 0-300 ms answers:"
                            + " %d stale overwrites, %d PUTs, %.2f lookups per customer%n", CONTAINERS, CUSTOMERS,
                    EVENTS_EACH, staleOverwrites, putsBefore, lookups / (double) CUSTOMERS);
        }
    }

    /** Each container takes the next event when it is free, as Lambda hands requests to idle instances. */
    static List<Reply> run(List<Relay> relays, List<Event> events) throws Exception {
        ConcurrentLinkedQueue<Event> todo = new ConcurrentLinkedQueue<>(events);
        ConcurrentLinkedQueue<Reply> answers = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(relays.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Relay relay : relays) {
                running.add(pool.submit(() -> {
                    Event e;
                    while ((e = todo.poll()) != null) {
                        answers.add(Containers.deliver(relay, e.webhook(), 20_000));
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(answers);
    }
}
