package dev.attributerelay.resolve;

import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.CustomerMatches;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.state.AppliedState;
import dev.attributerelay.state.MemoryStore;
import dev.attributerelay.state.StateStore;
import dev.attributerelay.state.StateUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a customer reference into a ChartMogul uuid. Found uuids are shared through the applied-state store (every
 * container sees one container's lookup) and cached in this container for a TTL, so steady traffic costs no lookup;
 * the first sight of a reference is looked up once per account: one container holds the reference's lookup lease
 * and the others wait for its answer. A cached uuid that starts answering 404 (customers merge) is
 * {@link #forget forgotten} and resolved again. Misses are not cached: the customer may appear any moment.
 */
public final class CustomerResolver {
    private static final int MAX_ENTRIES = 10_000;
    /** Time kept, after waiting for another container's lookup, for this delivery's own calls. */
    private static final Duration WAIT_RESERVE = Duration.ofMillis(300);

    private final ChartMogulClient client;
    private final StateStore shared;
    private final Clock clock;
    private final Duration ttl;
    private final AppliedState.Sleeper sleeper;
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** A resolver whose lookups only this container sees. */
    public CustomerResolver(ChartMogulClient client, Clock clock, Duration ttl) {
        this(client, new MemoryStore(), clock, ttl, AppliedState.Sleeper.REAL);
    }

    public CustomerResolver(ChartMogulClient client, StateStore shared, Clock clock, Duration ttl,
                            AppliedState.Sleeper sleeper) {
        this.client = client;
        this.shared = shared;
        this.clock = clock;
        this.ttl = ttl;
        this.sleeper = sleeper;
    }

    /** @throws StateUnavailableException the shared store failing, or another container's lookup outlasting the deadline */
    public Resolution resolve(CustomerRef ref, Deadline deadline) {
        if (ref instanceof CustomerRef.Uuid u) {
            return new Resolution.Found(u.uuid(), false);
        }
        Instant now = clock.instant();
        synchronized (cache) {
            Cached hit = cache.get(ref.key());
            if (hit != null && hit.expires.isAfter(now)) {
                return new Resolution.Found(hit.uuid, true);
            }
        }
        String id = referenceId(ref);
        String owner = UUID.randomUUID().toString();
        long waitMillis = 20;
        while (true) {
            now = clock.instant();
            StateStore.LookupStart start = shared.startLookup(id, owner, now, deadline.at(), deadline);
            if (start instanceof StateStore.LookupStart.Resolved resolved) {
                remember(ref, resolved.uuid(), now);
                return new Resolution.Found(resolved.uuid(), true);
            }
            if (start instanceof StateStore.LookupStart.Taken) {
                break;
            }
            Duration left = deadline.remaining().minus(WAIT_RESERVE);
            if (left.toMillis() <= 0) {
                throw new StateUnavailableException("another delivery is looking this customer up in ChartMogul; "
                        + "redeliver shortly", 2);
            }
            sleeper.sleep(Duration.ofMillis(Math.min(waitMillis, left.toMillis())));
            waitMillis = Math.min(waitMillis * 2, 200);
        }
        CustomerMatches matches;
        try {
            if (ref instanceof CustomerRef.ExternalId e) {
                matches = client.findByExternalId(e.externalId(), e.dataSourceUuid(), deadline);
            } else {
                matches = client.findByEmail(((CustomerRef.Email) ref).email(), deadline);
            }
        } catch (RuntimeException e) {
            endLookup(id, owner, deadline);
            throw e;
        }
        if (!matches.isUnique()) {
            endLookup(id, owner, deadline);
            return matches.uuids().isEmpty()
                    ? new Resolution.NotFound() : new Resolution.Ambiguous(matches.uuids(), matches.more());
        }
        String uuid = matches.uuids().get(0);
        now = clock.instant();
        shared.resolved(id, uuid, now.plus(ttl), deadline);
        remember(ref, uuid, now);
        return new Resolution.Found(uuid, false);
    }

    /** Drops a cached uuid that ChartMogul no longer knows, here and for every container. */
    public void forget(CustomerRef ref, Deadline deadline) {
        synchronized (cache) {
            cache.remove(ref.key());
        }
        if (!(ref instanceof CustomerRef.Uuid)) {
            shared.forget(referenceId(ref), deadline);
        }
    }

    /** The store's name for a reference: a digest, so that no email is stored. */
    public static String referenceId(CustomerRef ref) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(ref.key().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void endLookup(String id, String owner, Deadline deadline) {
        try {
            shared.lookupEnded(id, owner, deadline);
        } catch (StateUnavailableException e) {
            // the lease runs out by itself at the deadline; the caller's own failure is the one to report
        }
    }

    private void remember(CustomerRef ref, String uuid, Instant now) {
        synchronized (cache) {
            cache.put(ref.key(), new Cached(uuid, now.plus(ttl)));
        }
    }

    private record Cached(String uuid, Instant expires) {
    }
}
