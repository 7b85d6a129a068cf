package dev.attributerelay.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attributerelay.chartmogul.ApiKeys;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.chartmogul.HttpTransport;
import dev.attributerelay.chartmogul.RetryPolicy;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.testing.FakeChartMogul;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerResolverTest {
    FakeChartMogul cm;
    MutableClock clock = new MutableClock();
    CustomerResolver resolver;
    Deadline deadline = Deadline.in(Duration.ofSeconds(5), Clock.systemUTC());

    @BeforeEach
    void start() throws Exception {
        cm = new FakeChartMogul().acceptKey("k")
                .customer("cus_a", "ext", "ds_1", "same@example.com")
                .customer("cus_b", "ext", "ds_2", "same@example.com")
                .customer("cus_c", "solo", "ds_1", "solo@example.com");
        ApiKeys keys = new ApiKeys() {
            public String current() { return "k"; }
            public String refreshed() { return "k"; }
        };
        ChartMogulClient client = new ChartMogulClient(cm.url(), keys, new HttpTransport(),
                new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(2), () -> 0.0), d -> { });
        resolver = new CustomerResolver(client, clock, Duration.ofMinutes(15));
    }

    @AfterEach
    void stop() {
        cm.close();
    }

    @Test
    void aUuidNeedsNoCall() {
        assertThat(resolver.resolve(new CustomerRef.Uuid("cus_x"), deadline)).isEqualTo(new Resolution.Found("cus_x", false));
        assertThat(cm.requests()).isEmpty();
    }

    @Test
    void theDataSourceNarrowsAnExternalIdToOneCustomer() {
        assertThat(resolver.resolve(new CustomerRef.ExternalId("ext", "ds_2"), deadline))
                .isEqualTo(new Resolution.Found("cus_b", false));
        assertThat(resolver.resolve(new CustomerRef.ExternalId("ext", null), deadline))
                .isInstanceOf(Resolution.Ambiguous.class);
        assertThat(resolver.resolve(new CustomerRef.Email("same@example.com"), deadline))
                .isInstanceOf(Resolution.Ambiguous.class);
        assertThat(resolver.resolve(new CustomerRef.Email("nobody@example.com"), deadline))
                .isInstanceOf(Resolution.NotFound.class);
    }

    @Test
    void foundUuidsAreCachedForTheTtlAndMissesAreNot() {
        CustomerRef solo = new CustomerRef.ExternalId("solo", null);
        resolver.resolve(solo, deadline);
        assertThat(resolver.resolve(solo, deadline)).isEqualTo(new Resolution.Found("cus_c", true));
        assertThat(cm.requests()).hasSize(1);

        clock.advance(Duration.ofMinutes(16));
        assertThat(resolver.resolve(solo, deadline)).isEqualTo(new Resolution.Found("cus_c", false));
        assertThat(cm.requests()).hasSize(2);

        CustomerRef later = new CustomerRef.Email("later@example.com");
        resolver.resolve(later, deadline);
        cm.customer("cus_new", "n", "ds_1", "later@example.com");
        assertThat(resolver.resolve(later, deadline)).isEqualTo(new Resolution.Found("cus_new", false));
    }

    @Test
    void aForgottenUuidIsLookedUpAgain() {
        CustomerRef solo = new CustomerRef.Email("solo@example.com");
        resolver.resolve(solo, deadline);
        resolver.forget(solo, deadline);
        assertThat(resolver.resolve(solo, deadline)).isEqualTo(new Resolution.Found("cus_c", false));
        assertThat(cm.requests()).hasSize(2);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
