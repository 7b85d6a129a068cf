package dev.attributerelay.chartmogul;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The moment by which work for this event must be done: the sooner of the Lambda's remaining time and the
 * sender's patience, less a reserve for answering. Every call of one request (ChartMogul, Secrets Manager, SQS,
 * the state table) is bounded by {@link #remaining()}.
 */
public record Deadline(Instant at, Clock clock) {

    public static Deadline in(Duration remaining, Clock clock) {
        return new Deadline(clock.instant().plus(remaining), clock);
    }

    public Duration remaining() {
        Duration d = Duration.between(clock.instant(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** This deadline, or {@code other} when that comes first. */
    public Deadline atMost(Instant other) {
        return other.isBefore(at) ? new Deadline(other, clock) : this;
    }

    /** The time left, but no more than {@code cap}: a per-call timeout. */
    public Duration remainingAtMost(Duration cap) {
        Duration left = remaining();
        return left.compareTo(cap) < 0 ? left : cap;
    }
}
