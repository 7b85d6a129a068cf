package dev.attributerelay.chartmogul;

import dev.attributerelay.testing.TestSupport;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limiter on a fake clock: what ChartMogul would count in any one second. */
class RateLimiterTest {
    long now;
    final ChartMogulClient.Sleeper sleeper = d -> now += d.toNanos();

    @Test
    void anIdleContainerCannotBurstPastItsRatePlusOneInAnySecond() {
        RateLimiter limiter = new RateLimiter(19, () -> now);
        now = 5_000_000_000L; // long idle: a deep bucket would be full now
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            assertThat(limiter.acquire(Duration.ofSeconds(10), sleeper)).isTrue();
            sent.add(now);
        }
        assertThat(TestSupport.maxInAnySecond(sent)).as("two containers at 19/s stay within 40/s together").isLessThanOrEqualTo(20);
        double seconds = (sent.get(sent.size() - 1) - sent.get(0)) / 1e9;
        assertThat((sent.size() - 1) / seconds).as("and keep their pace").isCloseTo(19.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aWaitLongerThanAllowedIsRefusedWithoutTakingTheToken() {
        RateLimiter limiter = new RateLimiter(2, () -> now);
        assertThat(limiter.acquire(Duration.ZERO, sleeper)).isTrue();
        assertThat(limiter.acquire(Duration.ofMillis(100), sleeper)).as("next token in 500 ms").isFalse();
        assertThat(limiter.acquire(Duration.ofMillis(600), sleeper)).isTrue();
        assertThat(now).isEqualTo(500_000_000L);
    }

}
