package dev.attributerelay.secrets;

import dev.attributerelay.chartmogul.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Reads the secret once per TTL. {@link #refresh()} reads past the cache (after ChartMogul's 401, a key was
 * probably rotated).
 *
 * <p>Stale while error: once the TTL has run out, a failed read keeps the last good value serving for up to
 * {@link #STALE_LIMIT} more (logged at WARN), since a key that worked five minutes ago almost always still does.
 * While a stale value serves, a failure is remembered for {@link #FAILURE_BACKOFF}: requests in that window do not
 * call Secrets Manager again, so an outage is not met with one more slow call per request. With no value at all,
 * every request tries (within its deadline): trying is then the only way to recover. No read outlasts the caller's deadline, and a
 * request never waits past it for another thread's read (the init's prefetch among them).
 */
public final class CachedSecrets {
    static final Duration STALE_LIMIT = Duration.ofHours(1);
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);
    /** For callers with no deadline of their own (command-line runs). */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final SecretSource source;
    private final Clock clock;
    private final Duration ttl;
    private final Consumer<String> warn;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile Snapshot cached;
    private volatile Failure failure;

    public CachedSecrets(SecretSource source, Clock clock, Duration ttl) {
        this(source, clock, ttl, message -> { });
    }

    /** @param warn where a stale value being served is reported (the event log, at WARN) */
    public CachedSecrets(SecretSource source, Clock clock, Duration ttl, Consumer<String> warn) {
        this.source = source;
        this.clock = clock;
        this.ttl = ttl;
        this.warn = warn;
    }

    public RelaySecrets get() {
        return get(Deadline.in(DEFAULT_WAIT, clock));
    }

    /** @throws SecretsUnavailableException when there is neither a fresh nor a usable stale value by the deadline */
    public RelaySecrets get(Deadline deadline) {
        Snapshot c = cached;
        if (c != null && fresh(c)) {
            return c.value;
        }
        Failure f = failure;
        if (f != null && backingOff(f) && c != null && usableStale(c)) {
            return c.value;
        }
        if (!lock(deadline)) {
            return staleOr(c, "the secret " + describe() + " is still being read and did not arrive in time");
        }
        try {
            c = cached;
            if (c != null && fresh(c)) {
                return c.value; // another request read it while this one waited
            }
            f = failure;
            if (f != null && backingOff(f) && c != null && usableStale(c)) {
                return c.value;
            }
            try {
                return read(deadline);
            } catch (SecretsUnavailableException e) {
                return staleOr(cached, e.getMessage());
            }
        } finally {
            reading.unlock();
        }
    }

    public RelaySecrets refresh() {
        return refresh(Deadline.in(DEFAULT_WAIT, clock));
    }

    /** Reads past the cache; no stale value answers for it (the cached key was just rejected). */
    public RelaySecrets refresh(Deadline deadline) {
        if (!lock(deadline)) {
            throw new SecretsUnavailableException("the secret " + describe() + " is still being read");
        }
        try {
            return read(deadline);
        } finally {
            reading.unlock();
        }
    }

    /** The last value read, however old, without any I/O; null before the first successful read. */
    public RelaySecrets lastRead() {
        Snapshot s = cached;
        return s == null ? null : s.value();
    }

    public String describe() {
        return source.describe();
    }

    private RelaySecrets read(Deadline deadline) {
        Duration left = deadline.remaining();
        if (left.toMillis() < 50) {
            throw new SecretsUnavailableException("no time was left to read the secret " + describe());
        }
        try {
            RelaySecrets fresh = RelaySecrets.parse(source.read(left), source.describe());
            cached = new Snapshot(fresh, clock.instant());
            failure = null;
            return fresh;
        } catch (SecretsUnavailableException e) {
            failure = new Failure(clock.instant(), e.getMessage());
            Snapshot c = cached;
            if (c != null && usableStale(c)) {
                warn.accept("Secrets Manager failed (" + e.getMessage() + "); serving the secret read at " + c.readAt
                        + " for up to " + STALE_LIMIT.toMinutes() + " minutes past its TTL");
            }
            throw e;
        }
    }

    private RelaySecrets staleOr(Snapshot c, String why) {
        if (c != null && usableStale(c)) {
            return c.value;
        }
        throw new SecretsUnavailableException(why);
    }

    private boolean lock(Deadline deadline) {
        try {
            return reading.tryLock(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean fresh(Snapshot c) {
        return clock.instant().isBefore(c.readAt.plus(ttl));
    }

    private boolean usableStale(Snapshot c) {
        return clock.instant().isBefore(c.readAt.plus(ttl).plus(STALE_LIMIT));
    }

    private boolean backingOff(Failure f) {
        return clock.instant().isBefore(f.at.plus(FAILURE_BACKOFF));
    }

    private record Snapshot(RelaySecrets value, Instant readAt) {
    }

    private record Failure(Instant at, String message) {
    }
}
