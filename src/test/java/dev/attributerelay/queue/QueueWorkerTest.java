package dev.attributerelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.Relay;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.TypedValue;
import dev.attributerelay.testing.RelayHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's per-batch rules, with a loopback ChartMogul and no queue (the messages are given directly). */
class QueueWorkerTest {
    static final String CONFIG = """
            integrations:
              billing:
                verify: { scheme: none, allow_unsigned: true }
                events:
                  - customer: { uuid: u }
                    attributes: { plan: { type: String, value: p } }
              crm:
                verify: { scheme: none, allow_unsigned: true }
                events:
                  - customer: { uuid: u }
                    attributes: { plan: { type: String, value: p } }
            """;

    static QueueMessage message(String id, String integration, String customer, String plan, Instant at, int receives) {
        AttributeUpdate u = new AttributeUpdate(integration, new CustomerRef.Uuid(customer),
                Map.of("plan", new TypedValue(AttributeType.String, plan)), integration, "evt_" + id, "t", at, 0);
        return new QueueMessage(id, "receipt-" + id, UpdateCodec.encode(u), receives, at);
    }

    @Test
    void onceACustomersUpdateReturnsItsLaterUpdatesInTheBatchReturnToo() {
        try (RelayHarness h = new RelayHarness(CONFIG, "{\"chartmogul_api_key\":\"k\"}")) {
            h.chartmogul.acceptKey("k").customer("cus_1", "x", "ds", null).customer("cus_2", "y", "ds", null)
                    .defined("plan", "String");
            for (int i = 0; i < 5; i++) {
                h.chartmogul.thenAnswer(503, "{}", Map.of()); // every try of the first PUT
            }
            List<Duration> delays = new ArrayList<>();
            Relay r = h.relay;
            QueueWorker worker = new QueueWorker(r.config(), r.delivery(), r.client(), (handle, d) -> delays.add(d),
                    r.log(), Clock.systemUTC());
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            List<String> failed = worker.process(List.of(
                    message("1", "billing", "cus_1", "pro", t, 1),
                    message("2", "crm", "cus_1", "enterprise", t.plusSeconds(1), 1),
                    message("3", "billing", "cus_2", "basic", t, 3)), Deadline.in(Duration.ofSeconds(20), Clock.systemUTC()),
                    null);

            assertThat(failed).containsExactlyInAnyOrder("1", "2");
            // the billing update's five tries (the retry limit), and never the crm update held back behind it
            assertThat(h.chartmogul.requests("PUT")).extracting(req -> req.path())
                    .filteredOn(p -> p.contains("cus_1")).hasSize(5);
            assertThat(h.chartmogul.requests("PUT")).noneMatch(req -> req.body().contains("enterprise"));
            assertThat(h.chartmogul.attributesOf("cus_2").get("plan").asText()).isEqualTo("basic");
            // the failed delivery's message waits its backoff; the one held back behind it, untouched, comes back at once
            // (the FIFO group stays blocked by the first until that one returns)
            assertThat(delays).containsExactly(Duration.ofSeconds(5), Duration.ZERO);
        }
    }

    @Test
    void theDelayGrowsWithEachReceiveUpToFifteenMinutes() {
        QueueMessage first = message("1", "billing", "cus_1", "p", Instant.EPOCH, 1);
        QueueMessage fourth = message("1", "billing", "cus_1", "p", Instant.EPOCH, 4);
        QueueMessage many = message("1", "billing", "cus_1", "p", Instant.EPOCH, 30);
        var unavailable = new dev.attributerelay.DeliveryResult.RetryLater(5, "x");
        assertThat(QueueWorker.delay(unavailable, List.of(first))).isEqualTo(Duration.ofSeconds(5));
        assertThat(QueueWorker.delay(unavailable, List.of(fourth))).isEqualTo(Duration.ofSeconds(40));
        assertThat(QueueWorker.delay(unavailable, List.of(many))).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aCustomerNotInChartMogulYetWaitsHoursBetweenTriesNotMinutes() {
        var awaiting = new dev.attributerelay.DeliveryResult.RetryLater(60, "x", true);
        assertThat(QueueWorker.delay(awaiting, List.of(message("1", "billing", "cus_1", "p", Instant.EPOCH, 5))))
                .isEqualTo(Duration.ofMinutes(16));
        assertThat(QueueWorker.delay(awaiting, List.of(message("1", "billing", "cus_1", "p", Instant.EPOCH, 25))))
                .isEqualTo(QueueWorker.CUSTOMER_MAX_DELAY);
        // the redrive limit of 25 receives spans days, as long as a provider's own retries
        long total = 0;
        for (int receive = 1; receive < 25; receive++) {
            total += QueueWorker.delay(awaiting, List.of(message("1", "billing", "cus_1", "p", Instant.EPOCH, receive)))
                    .toSeconds();
        }
        assertThat(Duration.ofSeconds(total)).isGreaterThan(Duration.ofDays(3));
    }
}
