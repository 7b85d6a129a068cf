package dev.attributerelay.chartmogul;

import java.time.Duration;

/**
 * A token bucket in front of ChartMogul: requests from this container spaced at least {@code 1/perSecond} apart,
 * so no one-second window holds more than {@code perSecond + 1} of them. ChartMogul allows 40 requests a second per
 * account; the deployment divides that among containers (see template.yaml), and with no burst the containers
 * together stay under it in every second, not only on average. A bucket a second deep would refill while a
 * container is idle and then let it send a second's worth at once and keep pace: twice its rate within one second.
 *
 * <p>One exception, within the same bound: a container that has been idle for two intervals (a new one, or one
 * between webhooks) may send two requests back to back, and the request after them then waits two intervals. That
 * is a first-sight update's lookup and PUT, which would otherwise wait one interval between them (100 ms at 10/s)
 * on a cold start or a SnapStart restore. The pair borrows the next interval rather than adding to it: had the
 * first request been sent one interval earlier, into the idle time, every spacing would be the plain bucket's, and
 * moving one request one interval later adds none to any one-second window that the idle time does not make up
 * for. So every window still holds at most {@code perSecond + 1}.
 */
public final class RateLimiter {
    private final double perSecond;
    private final Clock clock;
    /** Tokens, up to two; a request takes one when there are at least one, leaving at most none (see below). */
    private double level;
    /** The previous request found the bucket two deep: the next may follow at once, into debt. */
    private boolean spare;
    private long last;

    public RateLimiter(double perSecond, Clock clock) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.perSecond = perSecond;
        this.clock = clock;
        this.level = 2; // a new container counts as idle
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
            if (spare && level < 1) {
                spare = false;
                level -= 1; // the pair's second request: the one after it waits for this debt too
                return true;
            }
            if (level >= 1) {
                spare = level >= 2;
                level = 0; // never more than one request per interval from a partly refilled bucket
                return true;
            }
            spare = false;
            wait = Duration.ofNanos((long) Math.ceil((1 - level) / perSecond * 1e9));
            if (wait.compareTo(maxWait) > 0) {
                return false;
            }
            level -= 1; // reserve it now; the debt is paid back by the wait below
        }
        sleeper.sleep(wait);
        return true;
    }

    private void refill() {
        long now = clock.nanos();
        // a SnapStart restore resumes on another host, whose monotonic clock may be behind the snapshot's: time
        // that seems to run backwards adds nothing, rather than a debt that would stall every call
        level = Math.min(2, level + Math.max(0, now - last) / 1e9 * perSecond);
        last = now;
    }

    /** Monotonic nanoseconds; a seam for tests. */
    public interface Clock {
        long nanos();
    }
}
