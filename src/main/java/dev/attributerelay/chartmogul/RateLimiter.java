package dev.attributerelay.chartmogul;

import java.time.Duration;

/**
 * A token bucket in front of ChartMogul: requests from this container spaced at least {@code 1/perSecond} apart,
 * with no burst beyond one request, so no one-second window holds more than {@code perSecond + 1} of them.
 * ChartMogul allows 40 requests a second per account; the deployment divides that among containers (see
 * template.yaml), and with no burst the containers together stay under it in every second, not only on average.
 * A bucket a second deep refills while a container is idle (between bursts of webhooks, or when the queue runs
 * dry) and then lets it send a second's worth at once and keep pace: twice its rate within one second. A new
 * container starts with its single token, so containers starting together add no burst either.
 */
public final class RateLimiter {
    private final double perSecond;
    private final double capacity;
    private final Clock clock;
    private double tokens;
    private long last;

    public RateLimiter(double perSecond, Clock clock) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.perSecond = perSecond;
        this.capacity = 1;
        this.clock = clock;
        this.tokens = capacity;
        this.last = clock.nanos();
    }

    /** No limit: for tests and tools that talk to a fake. */
    public static RateLimiter unlimited() {
        return new RateLimiter(1e9, System::nanoTime);
    }

    public double perSecond() {
        return perSecond;
    }

    /**
     * Takes one token, waiting for it if needed.
     *
     * @return false, without taking a token, when the wait would not end before {@code maxWait}
     */
    public boolean acquire(Duration maxWait, ChartMogulClient.Sleeper sleeper) {
        Duration wait;
        synchronized (this) {
            refill();
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            wait = Duration.ofNanos((long) Math.ceil((1 - tokens) / perSecond * 1e9));
            if (wait.compareTo(maxWait) > 0) {
                return false;
            }
            tokens -= 1; // reserve it now; the debt is paid back by the wait below
        }
        sleeper.sleep(wait);
        return true;
    }

    private void refill() {
        long now = clock.nanos();
        // a SnapStart restore resumes on another host, whose monotonic clock may be behind the snapshot's: time
        // that seems to run backwards adds nothing, rather than a debt that would stall every call
        tokens = Math.min(capacity, tokens + Math.max(0, now - last) / 1e9 * perSecond);
        last = now;
    }

    /** Monotonic nanoseconds; a seam for tests. */
    public interface Clock {
        long nanos();
    }
}
