package dev.attributerelay.bench;

import dev.attributerelay.EventLog;
import dev.attributerelay.Relay;
import dev.attributerelay.Wiring;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.lambda.ApiGatewayHandler;
import dev.attributerelay.mapping.ConfigLoader;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.state.AppliedValue;
import dev.attributerelay.state.StateStore;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.LocalDynamo;
import dev.attributerelay.testing.QueueHarness;
import dev.attributerelay.testing.RelayHarness;
import dev.attributerelay.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What applied state costs a warm container (docs/state.md): DynamoDB calls and ChartMogul calls per update, and the
 * time per update with the table (dynalite on loopback, the relay's JSON-protocol client) against the same relay
 * with state in memory. Three kinds of update, each over {@code customers} customers: first sight (lookup, PUT), a later changed
 * value (PUT), and an unchanged value (no ChartMogul call). {@code bench/run state [customers]}.
 */
public final class StateBenchmark {
    private StateBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        try (FakeChartMogul cm = new FakeChartMogul(8)) {
            cm.acceptKey(QueueHarness.API_KEY).defined("plan", "String").defined("seats", "Integer");
            for (int c = 0; c < 2 * customers + 50; c++) {
                cm.customer(uuid(c), "cus_B" + c, "ds_stripe", null);
            }
            LocalDynamo dynamo = LocalDynamo.shared();
            Counting table = new Counting(Wiring.stateStore(dynamo.env(dynamo.createStateTable())));
            Relay withTable = relay(cm, table);
            Relay inMemory = relay(cm, null);
            run(withTable, 2 * customers, 50, 0, "warm"); // JIT, connections, SDK
            run(inMemory, 2 * customers, 50, 1, "warm");
            System.out.printf("%d customers per kind; times are per update, in this JVM, ChartMogul on loopback%n%n",
                    customers);
            System.out.printf("%-22s %14s %14s %12s %12s %12s%n", "update", "DynamoDB calls", "ChartMogul", "table ms",
                    "memory ms", "added ms");
            String[] kinds = {"first sight", "later, changed", "later, unchanged"};
            // the event's minute, and its plan: the unchanged kind repeats the changed kind's value
            int[] minutes = {1, 2, 3};
            String[] plans = {"plan-1", "plan-2", "plan-2"};
            for (int k = 0; k < kinds.length; k++) {
                table.calls.set(0);
                int cmBefore = cm.requests().size();
                Phase t = run(withTable, 0, customers, minutes[k], plans[k]);
                int dynamoCalls = table.calls.get();
                int cmCalls = cm.requests().size() - cmBefore;
                Phase m = run(inMemory, customers, customers, minutes[k], plans[k]);
                System.out.printf("%-22s %14.2f %14.2f %12.2f %12.2f %12.2f%n", kinds[k],
                        dynamoCalls / (double) customers, cmCalls / (double) customers, t.meanMillis, m.meanMillis,
                        t.meanMillis - m.meanMillis);
            }
            dynamo.stop();
        }
    }

    record Phase(double meanMillis) {
    }

    /** One update per customer from {@code first}, in a shuffled order, at {@code minute} past T0. */
    static Phase run(Relay relay, int first, int count, int minute, String plan) throws Exception {
        List<Integer> order = new ArrayList<>();
        for (int c = first; c < first + count; c++) {
            order.add(c);
        }
        Collections.shuffle(order, new java.util.Random(1));
        long total = 0;
        for (int c : order) {
            String event = QueueHarness.webhook("evt_" + minute + "_" + c,
                    Instant.parse("2026-03-01T00:00:00Z").plusSeconds(60L * minute), "cus_B" + c, plan, 3);
            long started = System.nanoTime();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            new ApiGatewayHandler(relay, Clock.systemUTC()).handleRequest(
                    new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), answer, new TestContext(20_000));
            total += System.nanoTime() - started;
            String a = answer.toString(StandardCharsets.UTF_8);
            if (!a.contains("\"statusCode\":200")) {
                throw new IllegalStateException("an update was not applied: " + a);
            }
        }
        return new Phase(total / 1e6 / count);
    }

    static Relay relay(FakeChartMogul cm, StateStore state) {
        return new Wiring.Parts(ConfigLoader.parse("relay.yaml", QueueHarness.CONFIG), new LocalSecretSource(
                "{\"chartmogul_api_key\":\"" + QueueHarness.API_KEY + "\",\"signing_secret\":\""
                        + QueueHarness.SIGNING_SECRET + "\"}", "bench"), Wiring.transportFor(cm.url()), cm.url(),
                Clock.systemUTC(), new EventLog(new PrintStream(OutputStream.nullOutputStream())),
                RelayHarness.fastRetries(), RateLimiter.unlimited(), null, state).relay();
    }

    static String uuid(int c) {
        return String.format("cus_b0000000-0000-4000-8000-%012d", c);
    }

    /** Counts store calls: each is one DynamoDB request in DynamoDbStore. */
    static final class Counting implements StateStore {
        final StateStore inner;
        final AtomicInteger calls = new AtomicInteger();

        Counting(StateStore inner) {
            this.inner = inner;
        }

        @Override
        public Leased tryLease(String c, String o, Instant now, Instant until, Deadline d) {
            calls.incrementAndGet();
            return inner.tryLease(c, o, now, until, d);
        }

        @Override
        public boolean settle(String c, String o, Map<String, AppliedValue> v, Instant h, Deadline d) {
            calls.incrementAndGet();
            return inner.settle(c, o, v, h, d);
        }

        @Override
        public Map<String, AppliedValue> applied(String c, Deadline d) {
            calls.incrementAndGet();
            return inner.applied(c, d);
        }

        @Override
        public String resolution(String r, Instant now, Deadline d) {
            calls.incrementAndGet();
            return inner.resolution(r, now, d);
        }

        @Override
        public LookupStart startLookup(String r, String o, Instant now, Instant until, Deadline d) {
            calls.incrementAndGet();
            return inner.startLookup(r, o, now, until, d);
        }

        @Override
        public void resolved(String r, String u, Instant until, Deadline d) {
            calls.incrementAndGet();
            inner.resolved(r, u, until, d);
        }

        @Override
        public void lookupEnded(String r, String o, Deadline d) {
            calls.incrementAndGet();
            inner.lookupEnded(r, o, d);
        }

        @Override
        public void forget(String r, Deadline d) {
            calls.incrementAndGet();
            inner.forget(r, d);
        }
    }
}
