package dev.attributerelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.lambda.ApiGatewayHandler;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.queue.DeadLetterReplay;
import dev.attributerelay.queue.UpdateCodec;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.testing.FakeChartMogul.Fault;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.LocalDynamo;
import dev.attributerelay.testing.LocalSqs;
import dev.attributerelay.testing.MovableClock;
import dev.attributerelay.testing.QueueHarness;
import dev.attributerelay.testing.RelayHarness.Reply;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.SqsPoller;
import dev.attributerelay.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Many events, ChartMogul and Secrets Manager failing in every way the relay must survive, counted: each event is
 * applied, or answered 503 (direct mode) / returned to the queue (queued mode) for redelivery; none is silently
 * dropped. Then everything not applied is redelivered, as a sender (or the queue) would, until all is done, and
 * ChartMogul must hold exactly the newest value of every attribute. Deterministic seed; the tally is printed.
 */
class DeliveryFaultSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int EVENTS = 200;
    static final int CUSTOMERS = 25;
    static final long SEED = 20260301L;
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final String KEY_2 = "cm_rotated_key_2";
    /** The function's time: 250 ms for ChartMogul once the handler's 1.5 s reserve is kept back. */
    static final long DIRECT_BUDGET_MS = 1_750;
    /** Longer than the 250 ms left: the answer arrives after the function has had to answer. */
    static final long SLOW_MS = 400;
    static final String SLOW = "answer slower than the deadline";

    record Event(int n, String id, int customer, Instant created, String plan, int seats) {
        String externalId() {
            return "cus_F" + customer;
        }

        String uuid() {
            return uuidOf(customer);
        }
    }

    static String uuidOf(int customer) {
        return String.format("cus_f0000000-0000-4000-8000-%012d", customer);
    }

    /** Events in the order senders emit them; each customer's are in time order, customers interleaved. */
    static List<Event> events(Random rnd) {
        List<Event> out = new ArrayList<>();
        for (int n = 0; n < EVENTS; n++) {
            out.add(new Event(n, "evt_" + n, rnd.nextInt(CUSTOMERS), T0.plusSeconds(n), "plan-" + n, n));
        }
        return out;
    }

    static FakeChartMogul chartMogul() throws IOException {
        FakeChartMogul cm = new FakeChartMogul().defined("plan", "String").defined("seats", "Integer");
        for (int c = 0; c < CUSTOMERS; c++) {
            cm.customer(uuidOf(c), "cus_F" + c, "ds_stripe", null);
        }
        return cm;
    }

    /** The newest event of each customer: what ChartMogul must hold at the end. */
    static Map<Integer, Event> newest(List<Event> events) {
        Map<Integer, Event> out = new HashMap<>();
        for (Event e : events) {
            out.merge(e.customer(), e, (a, b) -> a.created().isAfter(b.created()) ? a : b);
        }
        return out;
    }

    static void assertFinalStateIsNewest(FakeChartMogul cm, List<Event> events) {
        for (Event e : newest(events).values()) {
            Map<String, JsonNode> held = cm.attributesOf(e.uuid());
            assertThat(held.get("plan")).as("plan of customer %s", e.customer()).isNotNull();
            assertThat(held.get("plan").asText()).as("plan of customer %s", e.customer()).isEqualTo(e.plan());
            assertThat(held.get("seats").asInt()).as("seats of customer %s", e.customer()).isEqualTo(e.seats());
        }
    }

    // --- direct mode -----------------------------------------------------------------------------------------

    @Test
    void directModeEveryEventIsAppliedOrAnswered503AndRedeliveryConverges() throws Exception {
        Random rnd = new Random(SEED);
        List<Event> events = events(rnd);
        MovableClock clock = new MovableClock();
        Map<String, Integer> injected = new TreeMap<>();
        Map<String, Long> took = new TreeMap<>();
        int appliedFirst = 0;
        int answered503 = 0;
        int finallyApplied = 0;
        int superseded = 0;
        int rounds = 0;
        try (RelayHarness h = new RelayHarness(QueueHarness.CONFIG, secret(QueueHarness.API_KEY), clock)) {
            FakeChartMogul cm = h.chartmogul;
            copyCustomers(cm);
            cm.acceptKey(QueueHarness.API_KEY);
            Deque<Fault> pending = new ConcurrentLinkedDeque<>();
            cm.faults(r -> pending.poll());
            // the newest event of each customer that may have written: applied, or answered 503 after a write
            // whose answer never came (applied state counts that write as in doubt, so older events stay stale)
            Map<Integer, Instant> mayHaveWritten = new HashMap<>();

            List<Event> outstanding = new ArrayList<>();
            for (Event e : events) {
                String kind = "rotation";
                if (e.n() == EVENTS / 2) {
                    // the operator rotates the API key, and Secrets Manager fails just then: ChartMogul's 401
                    // makes the relay re-read the key, which cannot be read until Secrets Manager is back
                    h.secretsManager.put(RelayHarness.SECRET_ID, secret(KEY_2));
                    cm.acceptKey(KEY_2).revokeKey(QueueHarness.API_KEY);
                    h.secretsManager.failWith(500);
                    injected.merge("API key rotated while Secrets Manager fails", 1, Integer::sum);
                } else {
                    kind = inject(rnd, pending, h, clock);
                    injected.merge(kind, 1, Integer::sum);
                }
                long t = System.nanoTime();
                Reply r = deliver(h, clock, e, pending, kind.equals(SLOW));
                took.merge(kind, (System.nanoTime() - t) / 1_000_000, Long::sum);
                mayHaveWritten.merge(e.customer(), e.created(), (a, b) -> a.isAfter(b) ? a : b);
                if (isApplied(r)) {
                    appliedFirst++;
                    assertHolds(cm, e);
                } else if (is503(r)) {
                    answered503++;
                    outstanding.add(e);
                } else {
                    fail("event %s: neither applied nor 503: %s", e.id(), r);
                }
            }

            // senders redeliver what was not acknowledged, oldest first, until all of it is; faults go on
            while (!outstanding.isEmpty() && rounds < 30) {
                rounds++;
                List<Event> still = new ArrayList<>();
                for (Event e : outstanding) {
                    String kind = inject(rnd, pending, h, clock);
                    injected.merge(kind, 1, Integer::sum);
                    Reply r = deliver(h, clock, e, pending, kind.equals(SLOW));
                    mayHaveWritten.merge(e.customer(), e.created(), (a, b) -> a.isAfter(b) ? a : b);
                    if (isApplied(r)) {
                        finallyApplied++;
                        assertHolds(cm, e);
                    } else if (r.status() == 200 && r.body().get("status").asText().equals("ignored")) {
                        assertThat(r.body().get("message").asText()).as(r.toString()).startsWith("stale");
                        assertThat(mayHaveWritten.get(e.customer())).as("a newer event was delivered")
                                .isAfter(e.created());
                        superseded++;
                    } else if (is503(r)) {
                        still.add(e);
                    } else {
                        fail("redelivered event %s: %s", e.id(), r);
                    }
                }
                outstanding = still;
            }

            assertThat(outstanding).as("redelivery converges").isEmpty();
            assertThat(appliedFirst + answered503).isEqualTo(EVENTS);
            assertThat(finallyApplied + superseded).isEqualTo(answered503);
            assertThat(answered503).as("the faults did bite").isGreaterThan(EVENTS / 10);
            assertFinalStateIsNewest(cm, events);
            assertThat(cm.requests()).allSatisfy(req -> assertThat(req.apiKey()).isIn(QueueHarness.API_KEY, KEY_2));
            System.out.printf("fault suite, direct mode: %d events (seed %d), %d customers%n"
                            + "  applied first time   %d%n  answered 503         %d (each with Retry-After)%n"
                            + "  finally applied      %d (after %d redelivery rounds)%n"
                            + "  superseded           %d (stale on redelivery: a newer event was applied)%n"
                            + "  silently dropped     0%n  faults injected      %s%n  ChartMogul requests  %d%n",
                    EVENTS, SEED, CUSTOMERS, appliedFirst, answered503, finallyApplied, rounds, superseded, injected,
                    cm.requests().size());
            System.out.println("  milliseconds by fault " + took);
        }
    }

    /**
     * Two containers on one applied-state table (dynalite): container A takes every event first while ChartMogul
     * fails in the ways above; what it answered 503 is redelivered, later, to container B, so older events reach a
     * second container after newer ones were applied by the first. B must drop each such event as stale, and
     * ChartMogul must end at every customer's newest value.
     */
    @Test
    void directModeAnOlderEventReachesASecondContainerLate() throws Exception {
        Random rnd = new Random(SEED + 2);
        List<Event> events = events(rnd).subList(0, 80);
        LocalDynamo dynamo = LocalDynamo.shared();
        Map<String, String> env = dynamo.env(dynamo.createStateTable());
        int superseded = 0;
        int answered503 = 0;
        int rounds = 0;
        try (FakeChartMogul cm = chartMogul()) {
            cm.acceptKey(QueueHarness.API_KEY);
            Deque<Fault> pending = new ConcurrentLinkedDeque<>();
            cm.faults(r -> pending.poll());
            Relay a = container(cm, env);
            Relay b = container(cm, env);
            Map<Integer, Instant> delivered = new HashMap<>();
            List<Event> outstanding = new ArrayList<>();
            for (Event e : events) {
                boolean slow = chartMogulFault(rnd, pending);
                Reply r = deliver(a, cm, e, pending, slow);
                delivered.merge(e.customer(), e.created(), (x, y) -> x.isAfter(y) ? x : y);
                if (is503(r)) {
                    answered503++;
                    outstanding.add(e);
                } else {
                    assertThat(isApplied(r)).as(r.toString()).isTrue();
                }
            }
            while (!outstanding.isEmpty() && rounds < 30) {
                rounds++;
                Thread.sleep(1_000); // senders back off before redelivering
                List<Event> still = new ArrayList<>();
                for (Event e : outstanding) {
                    Reply r = deliver(b, cm, e, pending, chartMogulFault(rnd, pending));
                    if (r.status() == 200 && r.body().path("status").asText().equals("ignored")) {
                        assertThat(r.body().path("message").asText()).as(r.toString()).startsWith("stale");
                        assertThat(delivered.get(e.customer())).isAfter(e.created());
                        superseded++;
                    } else if (is503(r)) {
                        still.add(e);
                    } else {
                        assertThat(isApplied(r)).as(r.toString()).isTrue();
                    }
                }
                outstanding = still;
            }
            assertThat(outstanding).as("redelivery converges").isEmpty();
            assertThat(superseded).as("older events did reach the second container late").isPositive();
            assertFinalStateIsNewest(cm, events);
            System.out.printf("fault suite, two containers on one table: %d events, %d answered 503 by the first,"
                    + " %d stale at the second, %d rounds%n", events.size(), answered503, superseded, rounds);
        }
    }

    private static Relay container(FakeChartMogul cm, Map<String, String> env) {
        return new Wiring.Parts(ConfigLoader.parse("relay.yaml", QueueHarness.CONFIG),
                new LocalSecretSource(secret(QueueHarness.API_KEY), "test"), Wiring.transportFor(cm.url()), cm.url(),
                java.time.Clock.systemUTC(), new EventLog(new PrintStream(new ByteArrayOutputStream())),
                RelayHarness.fastRetries(), RateLimiter.unlimited(), null, Wiring.stateStore(env)).relay();
    }

    /** A ChartMogul fault for the next delivery, or none; true when it is an answer slower than the deadline. */
    private static boolean chartMogulFault(Random rnd, Deque<Fault> pending) {
        int roll = rnd.nextInt(100);
        if (roll < 40) {
            return false;
        }
        if (roll < 60) {
            for (int i = 0; i < 6; i++) {
                pending.add(Fault.answer(429, "{\"code\":429,\"message\":\"Too Many Requests\"}", Map.of()));
            }
        } else if (roll < 80) {
            for (int i = 0; i < 3; i++) {
                pending.add(Fault.answer(503, "", Map.of()));
            }
        } else if (roll < 90) {
            pending.add(Fault.dropConnection());
            pending.add(Fault.dropConnection());
        } else {
            pending.add(Fault.delay(SLOW_MS));
            return true;
        }
        return false;
    }

    private static Reply deliver(Relay relay, FakeChartMogul cm, Event e, Deque<Fault> pending, boolean slow)
            throws IOException {
        String event = QueueHarness.webhook(e.id(), e.created(), e.externalId(), e.plan(), e.seats());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ApiGatewayHandler(relay, java.time.Clock.systemUTC()).handleRequest(
                new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new TestContext(DIRECT_BUDGET_MS));
        Reply r = new Reply(JSON.readTree(out.toByteArray()));
        if (slow || r.status() == 503) {
            SqsPoller.await(() -> cm.inFlight() == 0, Duration.ofSeconds(5));
        }
        pending.clear();
        return r;
    }

    /** Picks this delivery's fault; ChartMogul faults apply to its next requests, lookups and writes alike. */
    private static String inject(Random rnd, Deque<Fault> pending, RelayHarness h, MovableClock clock) {
        int roll = rnd.nextInt(100);
        if (roll < 30) {
            return "none";
        }
        if (roll < 45) {
            int k = 1 + rnd.nextInt(7); // five or more outlast the client's retries
            for (int i = 0; i < k; i++) {
                pending.add(Fault.answer(429, "{\"code\":429,\"message\":\"Too Many Requests\"}", Map.of()));
            }
            return k >= 5 ? "429 storm beyond retries" : "429 storm";
        }
        if (roll < 65) {
            int status = new int[] {500, 502, 503, 504}[rnd.nextInt(4)];
            int k = 1 + rnd.nextInt(3);
            for (int i = 0; i < k; i++) {
                pending.add(Fault.answer(status, status == 500 ? "{\"error\":\"Internal Server Error\"}"
                        : "<html><body>" + status + "</body></html>", Map.of()));
            }
            return Integer.toString(status);
        }
        if (roll < 75) {
            int k = 1 + rnd.nextInt(2);
            for (int i = 0; i < k; i++) {
                pending.add(Fault.dropConnection());
            }
            return "dropped connection";
        }
        if (roll < 80) {
            pending.add(Fault.delay(SLOW_MS));
            return SLOW;
        }
        if (roll < 85) {
            clock.advance(Duration.ofMinutes(6)); // the cached secret expires, and reading it fails
            h.secretsManager.failWith(rnd.nextBoolean() ? 500 : 503);
            return "Secrets Manager error";
        }
        pending.add(Fault.answer(429, "{}", Map.of("Retry-After", "0")));
        pending.add(Fault.answer(502, "", Map.of()));
        pending.add(Fault.dropConnection());
        pending.add(Fault.answer(503, "", Map.of()));
        return "429, 502, drop, 503";
    }

    private static Reply deliver(RelayHarness h, MovableClock clock, Event e, Deque<Fault> pending, boolean slow)
            throws IOException {
        String event = QueueHarness.webhook(e.id(), e.created(), e.externalId(), e.plan(), e.seats(), clock.instant());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ApiGatewayHandler(h.relay, clock).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                out, new TestContext(DIRECT_BUDGET_MS));
        // a slow answer's write still lands at ChartMogul after the relay gave up on it; the next event for the
        // customer comes after that (a write landing later than a newer one is beyond what the relay can guard)
        Reply r = new Reply(JSON.readTree(out.toByteArray()));
        if (slow || r.status() == 503) {
            SqsPoller.await(() -> h.chartmogul.inFlight() == 0, Duration.ofSeconds(5));
        }
        pending.clear();
        h.secretsManager.failWith(0);
        return r;
    }

    private static boolean isApplied(Reply r) {
        return r.status() == 200 && r.body().get("status").asText().equals("applied");
    }

    private static boolean pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private static boolean is503(Reply r) {
        if (r.status() != 503) {
            return false;
        }
        assertThat(r.body().get("error").asText()).isEqualTo("unavailable");
        assertThat(r.header("Retry-After")).as(r.toString()).matches("[1-9][0-9]*");
        return true;
    }

    private static void assertHolds(FakeChartMogul cm, Event e) {
        Map<String, JsonNode> held = cm.attributesOf(e.uuid());
        assertThat(held.get("plan").asText()).as("applied means ChartMogul holds it: %s", e.id()).isEqualTo(e.plan());
        assertThat(held.get("seats").asInt()).isEqualTo(e.seats());
    }

    private static void copyCustomers(FakeChartMogul cm) {
        cm.defined("plan", "String").defined("seats", "Integer");
        for (int c = 0; c < CUSTOMERS; c++) {
            cm.customer(uuidOf(c), "cus_F" + c, "ds_stripe", null);
        }
    }

    private static String secret(String apiKey) {
        return "{\"chartmogul_api_key\":\"" + apiKey + "\",\"signing_secret\":\"" + QueueHarness.SIGNING_SECRET + "\"}";
    }

    // --- queued mode -----------------------------------------------------------------------------------------

    @Test
    void queuedModeEveryMessageIsAppliedOrReturnedAndTheQueueDrainsToTheNewestValues() throws Exception {
        List<Event> events = events(new Random(SEED));
        Random faults = new Random(SEED + 1);
        Map<String, Integer> injected = new TreeMap<>();
        int[] storm = {0};
        Fault[] stormFault = {null};
        try (QueueHarness q = new QueueHarness(LocalSqs.shared(), chartMogul(), 10, 5, QueueHarness.CONFIG)) {
            long started = System.nanoTime();
            for (Event e : events) {
                Reply r = q.invoke(QueueHarness.webhook(e.id(), e.created(), e.externalId(), e.plan(), e.seats()));
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
            }
            long queuedMs = (System.nanoTime() - started) / 1_000_000;
            // storms: now and then a run of consecutive faults of one kind, long enough to outlast retries
            q.chartmogul.faults(req -> {
                synchronized (faults) {
                    if (storm[0] == 0 && faults.nextInt(100) < 10) {
                        int kind = faults.nextInt(6);
                        storm[0] = 3 + faults.nextInt(8);
                        stormFault[0] = switch (kind) {
                            case 0 -> Fault.answer(429, "{}", Map.of());
                            case 1 -> Fault.answer(500, "{\"error\":\"x\"}", Map.of());
                            case 2 -> Fault.answer(502, "", Map.of());
                            case 3 -> Fault.answer(503, "", Map.of("Retry-After", "1"));
                            case 4 -> Fault.dropConnection();
                            default -> Fault.stall(700);
                        };
                        injected.merge(kind == 5 ? "stall (time-out)" : kind == 4 ? "dropped connection"
                                : Integer.toString(stormFault[0].status()), 1, Integer::sum);
                    }
                    if (storm[0] > 0) {
                        storm[0]--;
                        return stormFault[0];
                    }
                    return null;
                }
            });
            // two worker containers, each its own limiter share, retries, caches; delays shortened to ≤ 1 s
            RetryPolicy retry = new RetryPolicy(5, Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofMillis(400),
                    () -> 0.5);
            List<QueueHarness.Worker> workers = List.of(
                    q.worker(RateLimiter.unlimited(), retry, d -> d.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : d),
                    q.worker(RateLimiter.unlimited(), retry, d -> d.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : d));
            int replayed = 0;
            try (SqsPoller poller = q.poller(3_000)) {
                poller.start(workers.stream().map(QueueHarness.Worker::handler).toList());
                SqsPoller.await(() -> q.chartmogul.requests("PUT").size() >= 15, Duration.ofSeconds(20));
                q.rotateKey(KEY_2); // mid-run, with Secrets Manager failing for a moment
                q.secretsManager.failWith(500);
                injected.merge("API key rotated while Secrets Manager fails", 1, Integer::sum);
                Thread.sleep(300);
                q.secretsManager.failWith(0);
                long until = System.nanoTime() + Duration.ofSeconds(45).toNanos();
                while (System.nanoTime() < until) {
                    // drained twice in a row, 200 ms apart: a count read while a message changes state may miss it
                    SqsPoller.await(() -> q.sqs.pending(q.queues.url()) == 0 && pause(200)
                                    && q.sqs.pending(q.queues.url()) == 0,
                            Duration.ofMillis(Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                    if (q.sqs.visible(q.queues.deadLetterUrl()) == 0) {
                        break;
                    }
                    replayed += new DeadLetterReplay(q.sqs.relayClient()).replay(q.queues.deadLetterUrl(), q.queues.url(),
                            Integer.MAX_VALUE, false, new PrintStream(new ByteArrayOutputStream(), true,
                                    StandardCharsets.UTF_8)).moved();
                }
                q.chartmogul.faults(null);
                assertThat(q.sqs.pending(q.queues.url())).as("drained").isZero();
                assertThat(q.sqs.visible(q.queues.deadLetterUrl())).isZero();
                assertThat(poller.errors()).as("the worker never failed a whole batch").isEmpty();

                // count per event: done on its first receive, or returned (and how often) before it was done
                Map<String, Integer> returns = new HashMap<>();
                Set<String> done = new HashSet<>();
                for (SqsPoller.Batch b : poller.history()) {
                    for (Message m : b.messages()) {
                        String id = UpdateCodec.decode(m.body()).eventId();
                        if (b.failed().contains(m.messageId())) {
                            returns.merge(id, 1, Integer::sum);
                        } else {
                            assertThat(done.add(id)).as("%s done once", id).isTrue();
                        }
                    }
                }
                assertThat(done).as("every event's message was done with").hasSize(EVENTS);
                long workerOutcomes = q.workerLines().stream().filter(l -> l.has("outcome")).count();
                List<String> failedOutcomes = q.workerLines().stream().filter(l -> l.has("outcome"))
                        .map(l -> l.get("outcome").asText())
                        .filter(o -> !o.equals("applied") && !o.equals("ignored")).distinct().toList();
                assertThat(failedOutcomes).as("failures are all 'may pass'").allMatch(o -> o.equals("unavailable"));
                int stale = q.workerLines().stream().filter(l -> l.has("stale_drops"))
                        .mapToInt(l -> l.get("stale_drops").asInt()).sum();
                assertFinalStateIsNewest(q.chartmogul, events);
                assertThat(returns).as("the faults did bite").isNotEmpty();
                System.out.printf("fault suite, queued mode: %d events (seed %d) queued (202), 2 worker containers%n"
                                + "  applied first receive    %d events%n"
                                + "  returned for redelivery  %d events (%d returns; delays %s)%n"
                                + "  dead-lettered, replayed  %d%n"
                                + "  finally applied          %d events%n"
                                + "  coalesced/stale drops    %d attribute values (newer value won)%n"
                                + "  silently dropped         0%n"
                                + "  invocations %d, worker outcome lines %d, ChartMogul PUTs %d, faults %s%n",
                        EVENTS, SEED, EVENTS - returns.size(), returns.size(),
                        returns.values().stream().mapToInt(Integer::intValue).sum(),
                        workers.stream().flatMap(w -> w.visibility().delays().stream()).map(Duration::toSeconds)
                                .collect(Collectors.groupingBy(s -> s + " s", TreeMap::new, Collectors.counting())),
                        replayed, returns.size(), stale, poller.invocations(), workerOutcomes,
                        q.chartmogul.requests("PUT").size(), injected);
                System.out.println("queued in " + queuedMs + " ms, drained in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
        }
    }
}
