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
        now = 5_000_000_000L;
        assertThat(limiter.acquire(Duration.ZERO, sleeper)).isTrue();
        assertThat(limiter.acquire(Duration.ZERO, sleeper)).as("the pair an idle container may send").isTrue();
        assertThat(limiter.acquire(Duration.ofMillis(100), sleeper)).as("next token in 1,000 ms").isFalse();
        assertThat(limiter.acquire(Duration.ofMillis(1100), sleeper)).isTrue();
        assertThat(now).isEqualTo(6_000_000_000L);
    }

    @Test
    void aFirstSightsLookupAndPutGoBackToBackOnANewContainerAndTheNextRequestWaitsTwoIntervals() {
        RateLimiter limiter = new RateLimiter(10, () -> now);
        assertThat(limiter.acquire(Duration.ZERO, sleeper)).as("the lookup").isTrue();
        assertThat(limiter.acquire(Duration.ZERO, sleeper)).as("its PUT, without waiting").isTrue();
        assertThat(now).isZero();
        assertThat(limiter.acquire(Duration.ofMillis(150), sleeper)).as("the pair borrowed the next interval").isFalse();
        assertThat(limiter.acquire(Duration.ofSeconds(1), sleeper)).isTrue();
        assertThat(now).isEqualTo(200_000_000L);
        assertThat(limiter.acquire(Duration.ofSeconds(1), sleeper)).isTrue();
        assertThat(now).as("then one interval apart again").isEqualTo(300_000_000L);
    }

    @Test
    void onlyAContainerIdleForTwoIntervalsMaySendAPair() {
        RateLimiter limiter = new RateLimiter(10, () -> now);
        limiter.acquire(Duration.ZERO, sleeper);
        limiter.acquire(Duration.ZERO, sleeper);
        now += 250_000_000L; // the debt and one interval (200 ms), then half an interval: less than two deep
        assertThat(limiter.acquire(Duration.ZERO, sleeper)).isTrue();
        assertThat(limiter.acquire(Duration.ZERO, sleeper)).as("no spare from a bucket less than two deep").isFalse();
    }

    @Test
    void pairsAfterIdleTimeNeverPutMoreThanTheRatePlusOneInAnySecond() {
        java.util.Random random = new java.util.Random(12);
        for (double rate : new double[] {2, 3.6, 10, 18, 19}) {
            RateLimiter limiter = new RateLimiter(rate, () -> now);
            List<Long> sent = new ArrayList<>();
            long interval = (long) (1e9 / rate);
            for (int i = 0; i < 3000; i++) {
                // idle a random number of (partial) intervals, then a burst of one to three requests
                now += (long) (random.nextInt(4) * interval * random.nextDouble() * 1.5);
                int burst = 1 + random.nextInt(3);
                for (int k = 0; k < burst; k++) {
                    if (limiter.acquire(Duration.ofSeconds(10), sleeper)) {
                        sent.add(now);
                    }
                }
            }
            assertThat(TestSupport.maxInAnySecond(sent)).as("at %s/s", rate)
                    .isLessThanOrEqualTo((int) Math.floor(rate) + 1);
        }
    }
}
