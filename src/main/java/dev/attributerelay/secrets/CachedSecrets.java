package dev.attributerelay.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads the secret once per TTL. {@link #refresh()} reads past the cache (after ChartMogul's 401, a key
 * was probably rotated). A failed read does not poison the cache: the next call tries again.
 */
public final class CachedSecrets {
    private final SecretSource source;
    private final Clock clock;
    private final Duration ttl;
    private RelaySecrets cached;
    private Instant expires = Instant.MIN;

    public CachedSecrets(SecretSource source, Clock clock, Duration ttl) {
        this.source = source;
        this.clock = clock;
        this.ttl = ttl;
    }

    public synchronized RelaySecrets get() {
        if (cached == null || !clock.instant().isBefore(expires)) {
            return refresh();
        }
        return cached;
    }

    public synchronized RelaySecrets refresh() {
        RelaySecrets fresh = RelaySecrets.parse(source.read(), source.describe());
        cached = fresh;
        expires = clock.instant().plus(ttl);
        return fresh;
    }

    public String describe() {
        return source.describe();
    }
}
