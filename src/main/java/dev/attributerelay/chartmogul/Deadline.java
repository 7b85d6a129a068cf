package dev.attributerelay.chartmogul;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The moment by which work for this event must be done (the Lambda's remaining time, less a reserve). */
public record Deadline(Instant at, Clock clock) {

    public static Deadline in(Duration remaining, Clock clock) {
        return new Deadline(clock.instant().plus(remaining), clock);
    }

    public Duration remaining() {
        Duration d = Duration.between(clock.instant(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
