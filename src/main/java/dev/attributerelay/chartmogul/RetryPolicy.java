package dev.attributerelay.chartmogul;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how long to retry what may pass: full-jitter exponential backoff, capped per wait and in
 * attempts, and never past the deadline.
 *
 * @param maxAttempts total tries per call, the first included
 * @param base        the first backoff ceiling
 * @param cap         the largest single wait
 * @param perCall     the longest one HTTP exchange may take
 * @param random      uniform in [0, 1)
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap, Duration perCall, DoubleSupplier random) {

    public static RetryPolicy standard() {
        return new RetryPolicy(5, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(8),
                () -> Jitter.RANDOM.nextDouble());
    }

    /**
     * Jitter from a SecureRandom, made on the first retry: containers restored from one SnapStart snapshot share
     * every seed taken before it (ThreadLocalRandom's among them), and would back off in step; SecureRandom is
     * reseeded from the host after a restore.
     */
    private static final class Jitter {
        static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    }

    /** The wait before try number {@code attempt + 1} (attempt counts from 1). */
    Duration backoff(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }
}
