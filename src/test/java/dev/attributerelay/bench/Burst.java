package dev.attributerelay.bench;

import dev.attributerelay.chartmogul.RateLimiter;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.lambda.QueueWorkerHandler;
import dev.attributerelay.testing.Events;
import dev.attributerelay.testing.FakeChartMogul;
import dev.attributerelay.testing.LocalSqs;
import dev.attributerelay.testing.QueueHarness;
import dev.attributerelay.testing.SqsPoller;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plan migration: {@code updates} webhooks, one per customer, arrive at once at the API function in queued mode;
 * {@code pollers} worker containers (the event source mapping's MaximumConcurrency) drain the FIFO queue into a
 * loopback ChartMogul that enforces the account's 40 requests a second and 20 at once, answering 429 and 503
 * beyond, as ChartMogul does. Each worker's own limiter holds {@code perContainer} requests a second. Used by the
 * scaled test and by the 10,000-update benchmark.
 */
public final class Burst {
    /** ChartMogul's documented limits per account. */
    public static final int LIMIT_PER_SECOND = 40;
    public static final int LIMIT_CONCURRENT = 20;
    /**
     * The most messages the senders let wait in the queue. ElasticMQ's FIFO receive slows as its queue deepens (at
     * 8,000 waiting, with ten pollers, one GetQueueAttributes took 5-12 s), which would measure the test server,
     * not the relay; below this depth it keeps up with the workers.
     */
    static final int MAX_WAITING = 1_000;
    /** Customers named by uuid: one PUT per update, so the drain rate is the update rate. */
    static final String CONFIG = """
            integrations:
              billing:
                source: billing
                verify: { scheme: stripe, secret: signing_secret }
                event: { id: id, type: type, time: created }
                events:
                  - when: type = "customer.updated"
                    customer: { uuid: data.object.uuid }
                    attributes:
                      plan: { type: String, value: data.object.plan }
            """;

    private Burst() {
    }

    /**
     * @param senders webhooks sent at once (API Gateway invokes the API function concurrently)
     */
    public static Result run(LocalSqs sqs, int updates, int pollers, double perContainer, int senders,
                             PrintStream progress) throws IOException, InterruptedException {
        FakeChartMogul cm = new FakeChartMogul(LIMIT_CONCURRENT + 12).limit(LIMIT_PER_SECOND, LIMIT_CONCURRENT)
                .defined("plan", "String");
        for (int i = 0; i < updates; i++) {
            cm.customer(uuid(i), "ext_" + i, "ds_burst", null);
        }
        try (QueueHarness q = new QueueHarness(sqs, cm, 5, 60, CONFIG)) {
            List<QueueWorkerHandler> containers = new ArrayList<>();
            for (int i = 0; i < pollers; i++) {
                containers.add(q.worker(new RateLimiter(perContainer, System::nanoTime), RetryPolicy.standard())
                        .handler());
            }
            AtomicInteger redelivered = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            ExecutorService send = Executors.newFixedThreadPool(senders);
            try (SqsPoller poller = q.poller(60_000)) {
                Instant created = Instant.parse("2026-03-01T00:00:00Z");
                int prefill = Math.min(updates, MAX_WAITING);
                long start = System.nanoTime();
                for (int i = 0; i < updates; i++) {
                    int n = i;
                    send.submit(() -> {
                        // ElasticMQ's receive slows as its queue deepens: keep at most MAX_WAITING waiting
                        while (n >= prefill && accepted.get() - poller.deleted() >= MAX_WAITING) {
                            sleep(20);
                        }
                        // a sender redelivers what is not acknowledged; the API function should acknowledge all
                        while (q.invoke(webhook(n, created)).status() != 202) {
                            redelivered.incrementAndGet();
                        }
                        accepted.incrementAndGet();
                    });
                }
                long prefillUntil = start + Duration.ofSeconds(120).toNanos();
                while (accepted.get() < prefill && System.nanoTime() < prefillUntil) {
                    sleep(10);
                }
                long prefilled = System.nanoTime();
                // the workers start on a full queue: from here to empty is the drain
                poller.start(containers);
                long until = prefilled + Duration.ofSeconds(60 + updates / 10).toNanos();
                long lastReport = prefilled;
                while (System.nanoTime() < until && poller.deleted() < updates) {
                    sleep(100);
                    if (System.nanoTime() - lastReport > 10_000_000_000L) {
                        lastReport = System.nanoTime();
                        if (progress != null) {
                            progress.printf("  %.0f s draining: %d PUTs answered, %d 429s, %d updates done%n",
                                    (lastReport - prefilled) / 1e9, cm.requests("PUT").size(), cm.throttled(),
                                    poller.deleted());
                        }
                        if (accepted.get() == updates && q.sqs.visible(q.queues.url())
                                + q.sqs.inFlight(q.queues.url()) == 0) {
                            break; // empty, though not all deleted: some went to the dead-letter queue
                        }
                    }
                }
                long drained = System.nanoTime();
                send.shutdown();
                send.awaitTermination(10, TimeUnit.SECONDS);
                int applied = 0;
                for (int i = 0; i < updates; i++) {
                    var v = cm.attributesOf(uuid(i)).get("plan");
                    if (v != null && v.asText().equals("migrated-" + i)) {
                        applied++;
                    }
                }
                return new Result(updates, pollers, perContainer, applied, cm.requests().size(), cm.activeSeconds(),
                        cm.throttled(), cm.overloaded(), cm.peakInFlight(), cm.peakPerSecond(), poller.returned(),
                        q.sqs.visible(q.queues.deadLetterUrl()), redelivered.get(), poller.errors().size(), prefill,
                        Duration.ofNanos(prefilled - start), Duration.ofNanos(drained - prefilled));
            } finally {
                send.shutdownNow();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String uuid(int i) {
        return String.format("cus_b0000000-0000-4000-8000-%012d", i);
    }

    static String webhook(int i, Instant created) {
        String body = "{\"id\":\"evt_burst_" + i + "\",\"type\":\"customer.updated\",\"created\":"
                + created.getEpochSecond() + ",\"data\":{\"object\":{\"uuid\":\"" + uuid(i) + "\",\"plan\":\"migrated-"
                + i + "\"}}}";
        return Events.post("/webhooks/billing", body)
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", Events.stripeSignature(QueueHarness.SIGNING_SECRET,
                        Instant.now().getEpochSecond(), body))
                .httpApi();
    }

    /**
     * @param requests     every request ChartMogul saw, refused ones included
     * @param activeSeconds from ChartMogul's first request to its last
     * @param peakPerSecond the most requests that arrived within any one second
     * @param returned     messages the workers returned to the queue (429s that outlasted retries, deadlines)
     * @param prefilled    webhooks queued before the workers started
     * @param enqueue      the API function taking those into the queue
     * @param drain        the workers emptying the queue, from their start (later webhooks keep it filled)
     */
    public record Result(int updates, int pollers, double perContainer, int applied, int requests,
                         double activeSeconds, int throttled,
                         int overloaded, int peakInFlight, int peakPerSecond, int returned, int deadLettered,
                         int redelivered, int errors, int prefilled, Duration enqueue, Duration drain) {

        /** ChartMogul requests a second while the queue drained, from the workers' start to an empty queue. */
        public double requestsPerSecond() {
            return requests / (drain.toNanos() / 1e9);
        }

        public double fractionOfLimit() {
            return requestsPerSecond() / LIMIT_PER_SECOND;
        }

        public String report() {
            return String.format("burst: %d updates, %d worker containers at %.1f req/s each (ChartMogul allows %d/s,"
                            + " %d at once)%n"
                            + "  applied            %d of %d%n"
                            + "  queued             %d webhooks in %.1f s before the workers started (%.0f/s answered 202);"
                            + " the rest kept at most %d waiting%n"
                            + "  drained            in %.1f s (ChartMogul busy from first to last request: %.1f s)%n"
                            + "  drain rate         %.1f requests/s = %.0f%% of the 40/s limit (%.1f updates/s)%n"
                            + "  429s               %d (503s for concurrency: %d)%n"
                            + "  peak               %d requests in one second, %d at once%n"
                            + "  returned to queue  %d messages; dead-lettered %d; API answers not 202: %d;"
                            + " worker errors: %d%n",
                    updates, pollers, perContainer, LIMIT_PER_SECOND, LIMIT_CONCURRENT, applied, updates,
                    prefilled, enqueue.toMillis() / 1e3, prefilled / (enqueue.toNanos() / 1e9), MAX_WAITING,
                    drain.toMillis() / 1e3,
                    activeSeconds, requestsPerSecond(), fractionOfLimit() * 100, applied / (drain.toNanos() / 1e9),
                    throttled, overloaded, peakPerSecond, peakInFlight, returned,
                    deadLettered, redelivered, errors);
        }
    }
}
