package dev.attributerelay.chartmogul;

import java.time.Duration;

/**
 * A token bucket in front of ChartMogul: at most {@code perSecond} requests a second from this container,
 * with bursts up to one second's worth. ChartMogul allows 40 requests a second per account; the deployment
 * divides that among containers (see template.yaml). A new container starts with a single token, so a burst of
 * containers starting at once stays within the budget too.
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
        this.capacity = Math.max(1, perSecond);
        this.clock = clock;
        // start with one token, not a full bucket: containers that start together must not add their bursts
        this.tokens = 1;
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
        tokens = Math.min(capacity, tokens + (now - last) / 1e9 * perSecond);
        last = now;
    }

    /** Monotonic nanoseconds; a seam for tests. */
    public interface Clock {
        long nanos();
    }
}
