package dev.attributerelay.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.attributerelay.testing.FakeBilling;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The providers' answers that are not data: 429 with Retry-After, and refused keys, on loopback. */
class ProviderHttpTest {
    static final String KEY = "secret_provider_key";
    final List<Duration> waits = new ArrayList<>();

    @ParameterizedTest
    @EnumSource(FakeBilling.Kind.class)
    void aThrottledRequestWaitsWhatRetryAfterSaysAndIsSentAgain(FakeBilling.Kind kind) throws IOException {
        try (FakeBilling fake = new FakeBilling(kind, KEY).throttle(2, 3)) {
            fake.customer(new ObjectMapper().readTree("{\"id\":\"c1\",\"created\":1,\"updated_at\":1,"
                    + "\"updatedAt\":\"2024-01-01T00:00:00Z\",\"properties\":{\"email\":\"a@example.com\"}}"));
            Provider p = provider(kind, fake);

            Provider.Page page = p.page(null, null);

            assertThat(page.customers()).extracting(Provider.Customer::id).containsExactly("c1");
            // the sleeper also paces requests below the provider's limit: those waits are not whole seconds
            assertThat(waits.stream().filter(d -> d.toMillis() >= 1000 && d.toNanos() % 1_000_000_000L == 0))
                    .containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
            assertThat(fake.requests().get(0)).isEqualTo(fake.requests().get(1)).isEqualTo(fake.requests().get(2));
        }
    }

    @ParameterizedTest
    @EnumSource(FakeBilling.Kind.class)
    void aRefusedKeyStopsAtOnceWithTheProvidersReasonAndNoKey(FakeBilling.Kind kind) throws IOException {
        try (FakeBilling fake = new FakeBilling(kind, "another_key")) {
            Provider p = provider(kind, fake);

            assertThatThrownBy(() -> p.page(null, null))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("refused the API key (HTTP 401: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
            assertThat(fake.requests()).hasSize(1);
        }
    }

    @Test
    void throttlingThatNeverEndsGivesUpAfterBoundedTries() throws IOException {
        try (FakeBilling fake = new FakeBilling(FakeBilling.Kind.STRIPE, KEY).throttle(100, 1)) {
            Provider p = provider(FakeBilling.Kind.STRIPE, fake);

            assertThatThrownBy(() -> p.page(null, null)).isInstanceOf(ProviderException.class)
                    .hasMessageContaining("HTTP 429").hasMessageContaining("after " + ProviderHttp.MAX_ATTEMPTS + " tries");
            assertThat(fake.requests()).hasSize(ProviderHttp.MAX_ATTEMPTS);
        }
    }

    private Provider provider(FakeBilling.Kind kind, FakeBilling fake) {
        String env;
        switch (kind) {
            case STRIPE:
                env = "STRIPE_API_URL";
                break;
            case PADDLE:
                env = "PADDLE_API_URL";
                break;
            case CHARGEBEE:
                env = "CHARGEBEE_API_URL";
                break;
            default:
                env = "HUBSPOT_API_URL";
        }
        String preset = kind.name().toLowerCase(java.util.Locale.ROOT);
        var integration = new dev.attributerelay.mapping.Integration(preset, preset, null, null, "x", false,
                dev.attributerelay.mapping.UnknownCustomerPolicy.SKIP, 1, Duration.ofSeconds(10),
                new dev.attributerelay.mapping.Integration.EventFields(null, null, null), List.of(), true,
                new dev.attributerelay.mapping.BackfillSpec("k", preset));
        return Providers.open(integration, Map.of(env, fake.url().toString()), KEY, waits::add);
    }
}
