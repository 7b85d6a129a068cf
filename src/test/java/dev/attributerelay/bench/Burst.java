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
            long start = System.nanoTime();
            ExecutorService send = Executors.newFixedThreadPool(senders);
            try (SqsPoller poller = q.poller(60_000)) {
                Instant created = Instant.parse("2026-03-01T00:00:00Z");
                for (int i = 0; i < updates; i++) {
                    int n = i;
                    send.submit(() -> {
                        // a sender redelivers what is not acknowledged; the API function should acknowledge all
                        while (q.invoke(webhook(n, created)).status() != 202) {
                            redelivered.incrementAndGet();
                        }
                    });
                }
                send.shutdown();
                send.awaitTermination(updates, TimeUnit.SECONDS);
                // the whole burst waits in the queue before the workers start: the drain is measured alone
                long enqueued = System.nanoTime();
                poller.start(containers);
                Duration limit = Duration.ofSeconds(60 + updates / 20);
                long lastReport = System.nanoTime();
                long until = System.nanoTime() + limit.toNanos();
                while (System.nanoTime() < until
                        && q.sqs.visible(q.queues.url()) + q.sqs.inFlight(q.queues.url()) > 0) {
                    Thread.sleep(100);
                    if (progress != null && System.nanoTime() - lastReport > 10_000_000_000L) {
                        lastReport = System.nanoTime();
                        progress.printf("  %.0f s draining: %d PUTs answered, %d 429s, %d messages left%n",
                                (lastReport - enqueued) / 1e9, cm.requests("PUT").size(), cm.throttled(),
                                q.sqs.visible(q.queues.url()) + q.sqs.inFlight(q.queues.url()));
                    }
                }
                long drained = System.nanoTime();
                int applied = 0;
                for (int i = 0; i < updates; i++) {
                    var v = cm.attributesOf(uuid(i)).get("plan");
                    if (v != null && v.asText().equals("migrated-" + i)) {
                        applied++;
                    }
                }
                int requests = cm.requests().size();
                return new Result(updates, pollers, perContainer, applied, requests, cm.activeSeconds(), cm.throttled(),
                        cm.overloaded(),
                        cm.peakInFlight(), cm.peakPerSecond(), poller.returned(),
                        q.sqs.visible(q.queues.deadLetterUrl()), redelivered.get(), poller.errors().size(),
                        Duration.ofNanos(enqueued - start), Duration.ofNanos(drained - enqueued));
            } finally {
                send.shutdownNow();
            }
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
     * @param enqueue      the API function taking the whole burst into the queue
     * @param drain        the workers emptying the queue, from their start
     */
    public record Result(int updates, int pollers, double perContainer, int applied, int requests,
                         double activeSeconds, int throttled,
                         int overloaded, int peakInFlight, int peakPerSecond, int returned, int deadLettered,
                         int redelivered, int errors, Duration enqueue, Duration drain) {

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
                            + "  queued             in %.1f s by the API function (%.0f webhooks/s answered 202)%n"
                            + "  drained            in %.1f s (ChartMogul busy from first to last request: %.1f s)%n"
                            + "  drain rate         %.1f requests/s = %.0f%% of the 40/s limit (%.1f updates/s)%n"
                            + "  429s               %d (503s for concurrency: %d)%n"
                            + "  peak               %d requests in one second, %d at once%n"
                            + "  returned to queue  %d messages; dead-lettered %d; API answers not 202: %d;"
                            + " worker errors: %d%n",
                    updates, pollers, perContainer, LIMIT_PER_SECOND, LIMIT_CONCURRENT, applied, updates,
                    enqueue.toMillis() / 1e3, updates / (enqueue.toNanos() / 1e9), drain.toMillis() / 1e3,
                    activeSeconds, requestsPerSecond(), fractionOfLimit() * 100, applied / (drain.toNanos() / 1e9),
                    throttled, overloaded, peakPerSecond, peakInFlight, returned,
                    deadLettered, redelivered, errors);
        }
    }
}
